import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import { knexConfigFor } from '../../../backend/databases/connections/knex-config';
import { createScratchDatabase, type ScratchDatabase } from './database-servers';
import { createShopFixture } from './shop-fixture';

export interface ScratchShop {
  /** The admin connection to the scratch database: fixtures and checksums. */
  readonly scratch: ScratchDatabase;
  /** A pool configured as Parley configures the operator's (knexConfigFor), for the executors under test. */
  readonly knex: Knex;
}

/** For the suite it is called in: a fresh scratch database with the shop fixture on the real server, dropped after. */
export function useScratchShop(kind: 'postgres' | 'mysql'): ScratchShop {
  let scratch: ScratchDatabase | undefined;
  let knex: Knex | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await createShopFixture(scratch.knex, kind);
    knex = knexFactory(knexConfigFor({ dialect: kind, host: '127.0.0.1', port: kind === 'postgres' ? 5432 : 3306, user: kind === 'postgres' ? 'postgres' : 'root', database: scratch.name }, undefined));
  }, 60_000);
  afterAll(async () => {
    await knex?.destroy();
    await scratch?.drop();
  });
  return {
    get scratch() {
      return scratch!;
    },
    get knex() {
      return knex!;
    },
  };
}
