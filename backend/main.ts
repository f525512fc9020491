/**
 * The backend process: `node out/backend/index.js` (server mode, `npm run server`) or forked by
 * Electron main as a utilityProcess (desktop mode, PARLEY_MODE=desktop).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendToMainSchema, mainToBackendSchema, type BackendToMain } from '#protocol';
import { startBackend } from './app';
import { readBackendConfig } from './server';

/** Electron's utilityProcess gives the child a parentPort; plain Node does not. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function tellMain(message: BackendToMain): void {
  parentPort?.postMessage(backendToMainSchema.parse(message));
}

async function main(): Promise<void> {
  const builtRenderer = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  const config = readBackendConfig(process.env, builtRenderer);
  const backend = await startBackend(config);

  if (config.mode === 'server') {
    const consoleUrl = `${backend.url}/#token=${config.tokenGenerated ? backend.token : '<PARLEY_TOKEN>'}`;
    process.stdout.write(
      `\nParley ${config.mode} mode is ready.\n  Web console: ${consoleUrl}\n` +
        (config.tokenGenerated ? `  Token:       ${backend.token}  (set PARLEY_TOKEN to choose one)\n` : '') +
        `  Webhooks:    ${backend.publicUrl ?? 'not listening (see the log)'}  (PARLEY_WEBHOOK_HOST / PARLEY_WEBHOOK_PORT)\n` +
        `  Data:        ${config.dataDir}\n\n`,
    );
  }
  tellMain({ type: 'ready', url: backend.url, port: backend.port });

  const stop = async (reason: string) => {
    backend.logger.info({ reason }, 'shutdown requested');
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  parentPort?.on('message', (event) => {
    const message = mainToBackendSchema.safeParse(event.data);
    if (message.success && message.data.type === 'shutdown') void stop('main asked');
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Parley backend failed to start: ${message}\n`);
  tellMain({ type: 'fatal', message });
  process.exit(1);
});
