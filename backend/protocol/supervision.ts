import { z } from 'zod';

/**
 * Messages between Electron main and the backend process it supervises (utilityProcess parentPort).
 * In server mode there is no parent and these are never sent.
 */
export const backendToMainSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), port: z.number() }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
]);
export type BackendToMain = z.infer<typeof backendToMainSchema>;

export const mainToBackendSchema = z.discriminatedUnion('type', [
  /** Finish in-flight work, close sockets and the store, then exit 0. */
  z.object({ type: z.literal('shutdown') }),
]);
export type MainToBackend = z.infer<typeof mainToBackendSchema>;

/** Environment main hands to the backend it starts (names only; values are per launch). */
export const BackendEnv = {
  mode: 'PARLEY_MODE',
  token: 'PARLEY_TOKEN',
  port: 'PARLEY_PORT',
  dataDir: 'PARLEY_DATA_DIR',
  secretKey: 'PARLEY_SECRET_KEY',
  staticDir: 'PARLEY_STATIC_DIR',
  maxJsonBytes: 'PARLEY_MAX_JSON_BYTES',
  logLevel: 'PARLEY_LOG_LEVEL',
  webhookHost: 'PARLEY_WEBHOOK_HOST',
  webhookPort: 'PARLEY_WEBHOOK_PORT',
} as const;
