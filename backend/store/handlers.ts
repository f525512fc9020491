import type { BroadcastEvent, MethodHandlers } from '#protocol';
import type { AppStore } from './index';

/** The control API's settings and secrets methods. Secret values go in, never out. */
export function storeHandlers(
  store: AppStore,
  broadcast: BroadcastEvent,
): MethodHandlers<'settings.list' | 'settings.set' | 'secrets.list' | 'secrets.set' | 'secrets.delete'> {
  return {
    'settings.list': async () => ({ settings: await store.settings.getAll() }),
    'settings.set': async ({ key, value }) => {
      const stored = await store.settings.set(key, value);
      broadcast('settings.changed', { key, value: stored });
      return { key, value: stored };
    },
    'secrets.list': async () => ({ secrets: await store.secrets.list() }),
    'secrets.set': ({ name, value }) => store.secrets.set(name, value),
    'secrets.delete': async ({ name }) => ({ deleted: await store.secrets.delete(name) }),
  };
}
