/**
 * A capability that exists only for the tests: one folder, with a method, a public route, a tool,
 * a migration and a health check. The test adds it with one line to the capability list, to show
 * that this is all a new capability takes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ParleyError, type MethodSpec } from '#protocol';
import type { CapabilityFactory } from '../../../../backend/platform/capability';
import { sendJson } from '../../../../backend/platform/http';
import { defineTool } from '../../../../backend/platform/tools';

/** Its protocol fragment, as backend/protocol/<capability>.ts would hold it. */
export const throwawayMethods = {
  'throwaway.notes.add': {
    params: z.object({ text: z.string().min(1).max(200) }),
    result: z.object({ id: z.number(), count: z.number() }),
  },
} as const satisfies Record<string, MethodSpec>;

export const THROWAWAY_HOOK_SECRET = 'throwaway-hook-secret';

async function countNotes(knex: Knex): Promise<number> {
  const [row] = (await knex('throwaway_notes').count({ count: '*' })) as Array<{ count: number | string }>;
  return Number(row?.count ?? 0);
}

export const throwawayCapability: CapabilityFactory = ({ store }) => ({
  id: 'throwaway',
  migrations: [
    {
      name: '9000_throwaway_notes',
      up: (knex) => knex.schema.createTable('throwaway_notes', (table) => {
        table.increments('id');
        table.string('text').notNullable();
        table.string('source').notNullable();
      }),
      down: (knex) => knex.schema.dropTable('throwaway_notes'),
    },
  ],
  methods: {
    'throwaway.notes.add': async ({ text }: { text: string }) => {
      const [id] = (await store.knex('throwaway_notes').insert({ text, source: 'rpc' })) as number[];
      return { id: id!, count: await countNotes(store.knex) };
    },
  },
  routes: [
    {
      method: 'POST',
      path: '/hooks/throwaway',
      exposure: 'public',
      maxBodyBytes: 4096,
      // A webhook in miniature: HMAC-SHA256 of the raw bytes in a header, compared in constant time.
      async serve(request, response, context) {
        const raw = await context.readRawBody();
        const expected = createHmac('sha256', THROWAWAY_HOOK_SECRET).update(raw).digest();
        const given = Buffer.from(String(request.headers['x-signature'] ?? ''), 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ParleyError('unauthorized', 'Bad signature');
        const { text } = JSON.parse(raw.toString('utf8')) as { text: string };
        await store.knex('throwaway_notes').insert({ text, source: 'hook' });
        sendJson(response, 200, { stored: true, bytes: raw.length });
      },
    },
  ],
  tools: [
    defineTool({
      name: 'count_throwaway_notes',
      description: 'How many throwaway notes are stored',
      input: z.object({ source: z.enum(['rpc', 'hook']).optional() }),
      channels: ['console', 'api'],
      async execute({ source }) {
        const query = store.knex('throwaway_notes');
        if (source) query.where({ source });
        const [row] = (await query.count({ count: '*' })) as Array<{ count: number | string }>;
        return { data: { notes: Number(row?.count ?? 0) }, source: 'throwaway notes' };
      },
    }),
  ],
  health: {
    throwaway: async () => ({ ready: true, detail: `${await countNotes(store.knex)} note(s)` }),
  },
});
