import { ParleyError, type MethodHandlers } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';
import { AuditLog } from './audit/audit-log';
import { HttpSources } from './http/http-sources';
import { McpServers } from './mcp/mcp-servers';
import { actionsMigrations } from './migrations';
import { ToolPolicies } from './policy/tool-policies';
import { ActionTools } from './tools/action-tools';

export { actionsMigrations } from './migrations';

type ActionsMethod =
  | 'actions.list'
  | 'actions.inspectOpenApi'
  | 'actions.importOpenApi'
  | 'actions.removeSource'
  | 'actions.mcp.add'
  | 'actions.mcp.remove'
  | 'actions.mcp.restart'
  | 'actions.setPolicy'
  | 'actions.audit';

/**
 * Actions: the agent acts through the business's own systems — HTTP APIs imported from OpenAPI
 * documents and MCP servers — each call checked against the tool's policy, approved by a person
 * when it changes things, and audited.
 */
export const actionsCapability: CapabilityFactory = (context) => {
  const { store, events, logger } = context;
  const policies = new ToolPolicies(store.knex);
  const audit = new AuditLog(store.knex, events.publish, (error) => logger.error({ err: error }, 'action audit row could not be written'));
  let confirmationTimeoutMs = 120_000;
  const tools = new ActionTools({
    registry: context.tools,
    policies,
    confirmations: context.confirmations,
    audit,
    logger,
    publish: events.publish,
    confirmationTimeoutMs: () => confirmationTimeoutMs,
  });
  const sources = new HttpSources(store.knex, context.secrets, tools);
  const changed = (reason: string) => events.publish('actions.changed', { reason });
  const mcp = new McpServers({ knex: store.knex, secrets: context.secrets, tools, logger: logger.child({ component: 'mcp' }), onChange: () => changed('mcp') });
  let stopSettingsListener: (() => void) | undefined;

  const methods = {
    'actions.list': async () => ({ tools: tools.list(), sources: await sources.list(), mcpServers: mcp.list() }),
    'actions.inspectOpenApi': (params) => sources.inspect(params),
    'actions.importOpenApi': async (params) => {
      const imported = await sources.import(params);
      changed('import');
      return imported;
    },
    'actions.removeSource': async ({ id }) => {
      const removed = await sources.remove(id);
      changed('remove');
      return { removed };
    },
    'actions.mcp.add': async ({ name, config }) => ({ server: await mcp.add(name, config) }),
    'actions.mcp.remove': async ({ name }) => ({ removed: await mcp.remove(name) }),
    'actions.mcp.restart': async ({ name }) => ({ server: await mcp.restart(name) }),
    'actions.setPolicy': async ({ tool, channels, confirm }) => {
      if (!tools.has(tool)) throw new ParleyError('not_found', `No action tool named "${tool}"`, { hint: 'actions.list shows the tools.' });
      await policies.set(tool, { channels, confirm });
      changed('policy');
      return { tool: tools.find(tool)! };
    },
    'actions.audit': async ({ limit, tool }) => ({ entries: await audit.latest(limit, tool) }),
  } satisfies MethodHandlers<ActionsMethod>;

  return {
    id: 'actions',
    migrations: actionsMigrations,
    methods,
    async start() {
      await policies.load();
      confirmationTimeoutMs = (await context.settings.get('confirmations.timeoutSeconds')) * 1000;
      stopSettingsListener = context.settings.onChange((key) => {
        if (key !== 'confirmations.timeoutSeconds') return;
        void context.settings.get(key).then((seconds) => (confirmationTimeoutMs = seconds * 1000));
      });
      await sources.loadAll((source, error) => logger.error({ err: error, source: source.title }, 'HTTP action source could not be loaded'));
      await mcp.loadStored();
      if (context.mode === 'server' && context.environment.PARLEY_MCP_CONFIG) await mcp.loadConfigFile(context.environment.PARLEY_MCP_CONFIG);
    },
    async stop() {
      stopSettingsListener?.();
      sources.dispose();
      await mcp.stopAll();
      await audit.flushed();
    },
    health: {
      actions: () => {
        const servers = mcp.list();
        const failed = servers.filter((server) => server.state === 'failed');
        return {
          ready: true,
          detail: `${tools.list().length} action tool(s); ${servers.length} MCP server(s)${failed.length ? `, failed: ${failed.map((server) => server.name).join(', ')}` : ''}`,
        };
      },
    },
  };
};
