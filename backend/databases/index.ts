import type { MethodHandlers } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';
import { ConnectionRepository } from './connections/connection-repository';
import { DatabasesService } from './databases-service';
import { databaseExportRoute } from './export-route';
import { databaseMigrations } from './migrations';
import { QueryHistory } from './query-history';
import { registerDatabaseTools, type ToolLimits } from './tools/database-tools';

export { guardReadOnly } from './guard/read-only-guard';
export { guardWrite } from './guard/write-guard';
export { writeShopDatabase, DEMO_CONNECTION_NAME } from './demo/shop-database';
export { DATABASE_EXPORT_PATH } from './export-route';

/**
 * The operator's databases: connections (the demo shop, PARLEY_DB_<NAME>_URL, the panel's),
 * introspection, the agent's tools per connection, and one read-only query path behind the guard.
 */
export const databasesCapability: CapabilityFactory = (context) => {
  // Kept current from the settings: the query and write tools' time limits are read synchronously by the loop.
  const toolLimits: ToolLimits = { confirmationMs: 120_000, statementMs: 15_000 };
  const readToolLimits = async () => {
    toolLimits.confirmationMs = (await context.settings.get('confirmations.timeoutSeconds')) * 1000;
    toolLimits.statementMs = await context.settings.get('databases.statementTimeoutMs');
  };
  let stopSettingsListener: (() => void) | undefined;
  const service: DatabasesService = new DatabasesService({
    repository: new ConnectionRepository(context.store.knex, context.secrets),
    history: new QueryHistory(context.store.knex),
    settings: context.settings,
    logger: context.logger,
    publish: context.events.publish,
    confirmations: context.confirmations,
    observeSql: (ms) => context.metrics.observeStage('sql', ms),
    registerTools: (connection) => registerDatabaseTools(context.tools, service, connection, () => toolLimits),
  });
  return {
    id: 'databases',
    migrations: databaseMigrations,
    methods: {
      'databases.list': async () => ({ connections: await service.list() }),
      'databases.schema': ({ connection, refresh }) => service.schema(connection, refresh),
      // Read-only whoever calls: writes exist only as the agent's tool, each approved by the operator.
      'databases.query': ({ connection, sql, maxRows }, { connectionId, signal }) =>
        service.query(connection, sql, { maxRows, signal, channel: connectionId ? 'panel' : 'api', who: connectionId ? 'console' : 'control-api' }),
      'databases.save': async ({ name, password, ...settings }) => ({ connection: await service.save(name, settings, password) }),
      'databases.remove': async ({ name }) => ({ removed: await service.remove(name) }),
      'databases.test': (params) => service.test(params),
      'databases.history': async (params) => ({ entries: await service.history(params) }),
    } satisfies MethodHandlers<'databases.list' | 'databases.schema' | 'databases.query' | 'databases.save' | 'databases.remove' | 'databases.test' | 'databases.history'>,
    routes: [databaseExportRoute(service)],
    async start() {
      await readToolLimits();
      stopSettingsListener = context.settings.onChange((key) => {
        if (key === 'confirmations.timeoutSeconds' || key === 'databases.statementTimeoutMs') void readToolLimits();
      });
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
    async stop() {
      stopSettingsListener?.();
      await service.close();
    },
  };
};
