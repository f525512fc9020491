import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError, type DatabaseDialect } from '#protocol';
import { guardReadOnly } from '../../../backend/databases';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { createScratchDatabase, mariadbServer, postgresServer, shouldSkip, type ScratchDatabase } from './database-servers';
import { HOSTILE_STATEMENTS, LEGITIMATE_STATEMENTS, REQUIRED_HOSTILE_COUNT } from './hostile-statements';
import { checksumShop, createShopFixture } from './shop-fixture';

const DIALECTS: DatabaseDialect[] = ['postgres', 'mysql', 'sqlite', 'mssql', 'oracle'];

function refusalOf(run: () => unknown): ParleyError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the read-only guard refuses the red team, with a reason', () => {
  it(`has at least ${REQUIRED_HOSTILE_COUNT} hostile statements`, () => {
    expect(HOSTILE_STATEMENTS.length).toBeGreaterThanOrEqual(REQUIRED_HOSTILE_COUNT);
  });

  for (const dialect of DIALECTS) {
    const hostile = HOSTILE_STATEMENTS.filter((statement) => statement.dialects.includes(dialect));
    it.each(hostile)(`${dialect}: refuses $sql`, ({ sql, reason }) => {
      const refusal = refusalOf(() => guardReadOnly(sql, dialect));
      expect(refusal.code).toBe('forbidden');
      expect(refusal.message).toMatch(/^Refused: /);
      expect(refusal.message).toMatch(reason);
      expect((refusal.details as { reason: string }).reason.length).toBeGreaterThan(5);
    });
    const legitimate = LEGITIMATE_STATEMENTS.filter((statement) => statement.dialects.includes(dialect));
    it.each(legitimate)(`${dialect}: lets $sql through`, ({ sql }) => {
      expect(guardReadOnly(sql, dialect).sql).not.toMatch(/;\s*$/);
    });
  }
});

/** Runs the red team through `databases.query` on a real database: every statement refused, the data checksummed unchanged. */
function redTeamAgainst(dialect: 'postgres' | 'mysql' | 'sqlite', connection: string, open: () => Promise<{ url: string; knex: Knex; drop(): Promise<void> }>) {
  let target: Awaited<ReturnType<typeof open>>;
  let backend: TestBackend;
  beforeAll(async () => {
    target = await open();
    await createShopFixture(target.knex, dialect);
    backend = await startTestBackend({ environment: { [`PARLEY_DB_${connection.toUpperCase()}_URL`]: target.url } });
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
    await target?.drop();
  }, 30_000);

  it('refuses every hostile statement with `forbidden` and a reason, and the data is unchanged', async () => {
    const before = await checksumShop(target.knex);
    const hostile = HOSTILE_STATEMENTS.filter((statement) => statement.dialects.includes(dialect));
    for (const { sql, reason } of hostile) {
      const failure = await backend.call('databases.query', { connection, sql }).then(
        () => new Error(`not refused: ${sql}`),
        (error: unknown) => error,
      );
      expect(failure, sql).toBeInstanceOf(ParleyError);
      expect((failure as ParleyError).code, sql).toBe('forbidden');
      expect((failure as ParleyError).message, sql).toMatch(reason);
    }
    expect(await checksumShop(target.knex)).toBe(before);
  }, 60_000);

  it('runs every legitimate statement and returns rows', async () => {
    for (const { sql } of LEGITIMATE_STATEMENTS.filter((statement) => statement.dialects.includes(dialect))) {
      const result = await backend.call('databases.query', { connection, sql }).catch((error: unknown) => {
        throw new Error(`${sql} failed: ${(error as Error).message}`);
      });
      expect(result.rowCount, sql).toBeGreaterThan(0);
    }
  }, 60_000);
}

describe.skipIf(shouldSkip(postgresServer))('red team on the real PostgreSQL', () => {
  redTeamAgainst('postgres', 'redpg', () => createScratchDatabase('postgres') as Promise<ScratchDatabase>);
});

describe.skipIf(shouldSkip(mariadbServer))('red team on the real MariaDB', () => {
  redTeamAgainst('mysql', 'redmaria', () => createScratchDatabase('mysql') as Promise<ScratchDatabase>);
});

describe('red team on SQLite', () => {
  redTeamAgainst('sqlite', 'redlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-redteam-'));
    const filename = join(dir, 'shop.sqlite3');
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    return {
      url: `sqlite://${filename}`,
      knex,
      async drop() {
        await knex.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
