import type { MethodHandlers } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';
import { ConnectionRepository } from './connections/connection-repository';
import { DatabasesService } from './databases-service';
import { databaseExportRoute } from './export-route';
import { databaseMigrations } from './migrations';
import { QueryHistory } from './query-history';
import { registerDatabaseTools } from './tools/database-tools';

export { guardReadOnly } from './guard/read-only-guard';
export { writeShopDatabase, DEMO_CONNECTION_NAME } from './demo/shop-database';
export { DATABASE_EXPORT_PATH } from './export-route';

/**
 * The operator's databases: connections (the demo shop, PARLEY_DB_<NAME>_URL, the panel's),
 * introspection, the agent's tools per connection, and one read-only query path behind the guard.
 */
export const databasesCapability: CapabilityFactory = (context) => {
  const service: DatabasesService = new DatabasesService({
    repository: new ConnectionRepository(context.store.knex, context.secrets),
    history: new QueryHistory(context.store.knex),
    settings: context.settings,
    logger: context.logger,
    publish: context.events.publish,
    registerTools: (connection) => registerDatabaseTools(context.tools, service, connection),
  });
  return {
    id: 'databases',
    migrations: databaseMigrations,
    methods: {
      'databases.list': async () => ({ connections: await service.list() }),
      'databases.schema': ({ connection, refresh }) => service.schema(connection, refresh),
      'databases.query': ({ connection, sql, maxRows }, { connectionId }) =>
        service.query(connection, sql, { maxRows, channel: connectionId ? 'panel' : 'api', who: connectionId ? 'console' : 'control-api' }),
      'databases.save': async ({ name, password, ...settings }) => ({ connection: await service.save(name, settings, password) }),
      'databases.remove': async ({ name }) => ({ removed: await service.remove(name) }),
      'databases.test': (params) => service.test(params),
      'databases.history': async (params) => ({ entries: await service.history(params) }),
    } satisfies MethodHandlers<'databases.list' | 'databases.schema' | 'databases.query' | 'databases.save' | 'databases.remove' | 'databases.test' | 'databases.history'>,
    routes: [databaseExportRoute(service)],
    async start() {
      await service.load({ dataDir: context.dataDir, environment: context.environment });
      // One health entry per connection (`database:<name>`), each a fresh connect and version query.
      context.health.registerGroup('database', async () => {
        const checks = (await service.list()).map(async ({ name }) => {
          const result = await service.test({ name });
          return [name, { ready: result.ok, detail: [result.message, result.hint].filter(Boolean).join(' ') }] as const;
        });
        return Object.fromEntries(await Promise.all(checks));
      });
    },
    stop: () => service.close(),
  };
};
