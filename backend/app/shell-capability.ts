import type { MethodHandlers } from '#protocol';
import type { CapabilityFactory } from '../platform/capability';
import { PARLEY_NAME, PARLEY_VERSION, type BackendConfig, type ControlSocketServer } from '../server';

type ShellMethod =
  | 'system.ping'
  | 'system.info'
  | 'settings.list'
  | 'settings.set'
  | 'secrets.list'
  | 'secrets.set'
  | 'secrets.delete'
  | 'events.subscribe'
  | 'events.unsubscribe'
  | 'confirmations.pending'
  | 'confirmations.decide';

/**
 * The shell every console needs whatever capabilities there are: liveness, settings, secrets
 * (values go in, never out), event subscriptions, the calls waiting for approval, and the store's and control API's health.
 */
export function shellCapability(config: BackendConfig, socketServer: ControlSocketServer, startedAt: number): CapabilityFactory {
  return ({ store, events, confirmations }) => ({
    id: 'shell',
    methods: {
      'system.ping': ({ echo }) => ({ echo, serverTime: Date.now() }),
      'system.info': () => ({
        name: PARLEY_NAME,
        version: PARLEY_VERSION,
        mode: config.mode,
        dataDir: config.dataDir,
        pid: process.pid,
        node: process.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      }),
      'settings.list': async () => ({ settings: await store.settings.getAll() }),
      'settings.set': async ({ key, value }) => {
        const stored = await store.settings.set(key, value);
        events.publish('settings.changed', { key, value: stored });
        return { key, value: stored };
      },
      'secrets.list': async () => ({ secrets: await store.secrets.list() }),
      'secrets.set': ({ name, value }) => store.secrets.set(name, value),
      'secrets.delete': async ({ name }) => ({ deleted: await store.secrets.delete(name) }),
      'events.subscribe': ({ topics }, context) => ({ topics: socketServer.subscribe(context.connectionId, topics) }),
      'events.unsubscribe': ({ topics }, context) => ({ topics: socketServer.unsubscribe(context.connectionId, topics) }),
      'confirmations.pending': () => ({ confirmations: confirmations.list() }),
      'confirmations.decide': ({ id, approve }) => ({ confirmation: confirmations.decide(id, approve), approved: approve }),
    } satisfies MethodHandlers<ShellMethod>,
    health: {
      store: async () => {
        await store.knex.raw('select 1');
        return { ready: true, detail: `SQLite, ${store.appliedMigrations.length} migrations applied` };
      },
      'control-api': () => ({ ready: true, detail: `${socketServer.connectionCount} socket(s) connected` }),
    },
  });
}
