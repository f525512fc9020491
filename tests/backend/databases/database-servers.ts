/**
 * The real PostgreSQL and MariaDB of this machine, for integration tests. Each test file creates
 * its own database with a random name and drops it at the end. Under CI=true an unreachable
 * server fails the tests; elsewhere they are skipped with a message saying why.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

export const IN_CI = process.env.CI === 'true';

export interface TestServer {
  kind: 'postgres' | 'mysql';
  reachable: boolean;
  /** Why it is not reachable. */
  problem: string | undefined;
}

const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' };

async function probe(kind: 'postgres' | 'mysql'): Promise<TestServer> {
  const knex = adminKnex(kind);
  try {
    await knex.raw('SELECT 1');
    return { kind, reachable: true, problem: undefined };
  } catch (error) {
    return { kind, reachable: false, problem: (error as Error).message };
  } finally {
    await knex.destroy();
  }
}

function adminKnex(kind: 'postgres' | 'mysql', database?: string): Knex {
  return kind === 'postgres'
    ? knexFactory({ client: 'pg', connection: { ...POSTGRES, database: database ?? 'postgres', connectionTimeoutMillis: 3000 }, pool: { min: 0, max: 2 } })
    : knexFactory({ client: 'mysql2', connection: { ...MARIADB, database, connectTimeout: 3000, multipleStatements: true }, pool: { min: 0, max: 2 } });
}

export const postgresServer = await probe('postgres');
export const mariadbServer = await probe('mysql');

/** Skip the suite locally when the server is away; under CI run it, so that it fails loudly. */
export function shouldSkip(server: TestServer): boolean {
  if (server.reachable || IN_CI) return false;
  console.warn(`[databases] skipping ${server.kind} integration tests: ${server.problem} (set CI=true to make this a failure)`);
  return true;
}

export interface ScratchDatabase {
  name: string;
  /** The URL a PARLEY_DB_<NAME>_URL would hold. */
  url: string;
  /** An admin connection to the scratch database (writes allowed), to set up fixtures and checksum. */
  knex: Knex;
  drop(): Promise<void>;
}

/** A fresh database on the server; `drop` removes it. */
export async function createScratchDatabase(kind: 'postgres' | 'mysql'): Promise<ScratchDatabase> {
  if (kind === 'postgres' ? !postgresServer.reachable : !mariadbServer.reachable) {
    throw new Error(`${kind} at 127.0.0.1 is not reachable (${(kind === 'postgres' ? postgresServer : mariadbServer).problem}); CI=true requires it`);
  }
  const name = `parley_test_${randomBytes(4).toString('hex')}`;
  const admin = adminKnex(kind);
  await admin.raw(kind === 'postgres' ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.destroy();
  const knex = adminKnex(kind, name);
  const url = kind === 'postgres' ? `postgres://postgres@127.0.0.1:5432/${name}` : `mysql://root@127.0.0.1:3306/${name}`;
  return {
    name,
    url,
    knex,
    async drop() {
      await knex.destroy();
      const cleanup = adminKnex(kind);
      try {
        if (kind === 'postgres') await cleanup.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        else await cleanup.raw(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
