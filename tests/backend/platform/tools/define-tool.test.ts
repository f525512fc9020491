import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineTool, ToolRegistry } from '../../../../backend/platform/tools';

const context = { channel: 'console' as const, conversationId: undefined, signal: new AbortController().signal };

function lookupOrder(calls: unknown[] = []) {
  return defineTool({
    name: 'lookup_order',
    description: 'Finds an order',
    input: z.object({ id: z.string().regex(/^[A-Z]-\d+$/).describe('Order id like A-1'), withLines: z.boolean().default(false) }),
    channels: ['console', 'api'],
    async execute(args) {
      calls.push(args);
      return { data: { id: args.id, lines: args.withLines ? [] : undefined }, source: 'orders' };
    },
  });
}

describe('defineTool', () => {
  it('gives the model the JSON Schema of its zod input (descriptions kept, defaulted fields optional)', () => {
    expect(lookupOrder().parameters).toMatchObject({
      type: 'object',
      properties: { id: { type: 'string', pattern: '^[A-Z]-\\d+$', description: 'Order id like A-1' }, withLines: { type: 'boolean', default: false } },
      required: ['id'],
    });
    expect(lookupOrder().parameters).not.toHaveProperty('$schema');
  });

  it('validates the arguments before execute: a wrong one is refused by name, and execute never runs', async () => {
    const calls: unknown[] = [];
    const tool = lookupOrder(calls);
    await expect(tool.call({ id: 'nope' }, context)).rejects.toMatchObject({ code: 'invalid_params', message: /lookup_order: id: / });
    await expect(tool.call({}, context)).rejects.toMatchObject({ code: 'invalid_params', message: /id/ });
    expect(calls).toEqual([]);
    await tool.call({ id: 'A-1' }, context);
    expect(calls).toEqual([{ id: 'A-1', withLines: false }]);
  });

  it('refuses a name the model APIs would refuse', () => {
    expect(() => defineTool({ ...{ name: 'has space', description: '', input: z.object({}), channels: [] }, execute: async () => ({ data: 1 }) })).toThrow(/Invalid tool name/);
  });
});

describe('ToolRegistry', () => {
  it('lets tools come and go: register returns a disposable that removes exactly that tool', () => {
    const registry = new ToolRegistry();
    let changes = 0;
    registry.onDidChange(() => changes++);
    const registration = registry.register(lookupOrder());
    expect(registry.find('lookup_order', 'console')?.name).toBe('lookup_order');
    expect(registry.find('lookup_order', 'whatsapp')).toBeUndefined();
    expect(() => registry.register(lookupOrder())).toThrow(/registered twice/);
    registration.dispose();
    registration.dispose();
    expect(registry.all()).toEqual([]);
    expect(changes).toBe(2);
    // The name is free again: a connection removed and added back registers anew.
    registry.register(lookupOrder()).dispose();
  });
});
