import type { MethodHandlers } from '#protocol';
import type { BackendConfig } from './config';
import { PARLEY_NAME, PARLEY_VERSION } from './version';

export function systemHandlers(config: BackendConfig, startedAt: number): MethodHandlers<'system.ping' | 'system.info'> {
  return {
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
  };
}
