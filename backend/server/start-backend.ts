import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BroadcastEvent, EventData, EventName, MethodHandlers } from '#protocol';
import { agentMigrations, createAgent, type Agent } from '../agent';
import { BackendMetrics, createBackendLogging, diagnosticsHandlers, HealthRegistry, type Logger } from '../platform/observability';
import { createSpeech } from '../speech';
import { openAppStore, storeHandlers, type AppStore } from '../store';
import type { BackendConfig } from './config';
import { createControlRequestListener } from './control-http';
import { ControlSocketServer, SOCKET_PATH } from './control-socket';
import { RpcDispatcher } from './rpc-dispatcher';
import { systemHandlers } from './system-handlers';
import { PARLEY_VERSION } from './version';

export interface RunningBackend {
  /** Base URL of the control API, e.g. http://127.0.0.1:7861 */
  url: string;
  port: number;
  token: string;
  logger: Logger;
  store: AppStore;
  agent: Agent;
  broadcast: BroadcastEvent;
  /** Stops accepting, closes sockets, the store and the log; resolves when all is flushed. */
  close(): Promise<void>;
}

/** Starts every part of the backend; resolves once it listens and the store is migrated. */
export async function startBackend(config: BackendConfig): Promise<RunningBackend> {
  const startedAt = Date.now();
  const logging = await createBackendLogging({ dataDir: config.dataDir, level: config.logLevel, toStdout: config.mode === 'server' });
  const { logger } = logging;
  const metrics = new BackendMetrics();
  const health = new HealthRegistry(PARLEY_VERSION);

  let store: AppStore;
  try {
    store = await openAppStore({ dataDir: config.dataDir, secretKey: config.secretKey, migrations: agentMigrations });
  } catch (error) {
    logger.fatal({ err: error }, 'app store could not be opened');
    await logging.flush();
    throw error;
  }
  health.register('store', async () => {
    await store.knex.raw('select 1');
    return { ready: true, detail: `SQLite, ${store.appliedMigrations.length} migrations applied` };
  });

  // The socket server dispatches to handlers that need the socket server (to broadcast, to stream
  // audio): the table is filled in once every capability is built, before anything listens.
  const handlers = {} as MethodHandlers;
  const dispatcher = new RpcDispatcher(handlers, logger, metrics);
  const socketServer = new ControlSocketServer({
    token: config.token,
    mode: config.mode,
    version: PARLEY_VERSION,
    maxJsonBytes: config.maxJsonBytes,
    dispatcher,
    metrics,
    logger,
  });
  const broadcast: BroadcastEvent = <E extends EventName>(event: E, data: EventData<E>) => socketServer.broadcast(event, data);
  const agent = await createAgent(store, broadcast, config.environment);
  const speech = createSpeech({
    dataDir: config.dataDir,
    settings: store.settings,
    resolveProvider: async (providerId) => {
      const provider = await agent.providers.get(providerId);
      return { baseUrl: provider.baseUrl, apiKey: await agent.providers.apiKey(providerId), headers: provider.extraHeaders };
    },
    agent: {
      checkConversation: async (conversationId) => void (await agent.conversations.get(conversationId)),
      run: (conversationId, text, turnId, signal, onText) => agent.turns.send(conversationId, text, turnId, signal, onText).then(() => undefined),
    },
    channel: socketServer,
    broadcast,
    health,
    logger,
  });
  Object.assign(handlers, {
    ...systemHandlers(config, startedAt),
    ...storeHandlers(store, broadcast),
    ...diagnosticsHandlers(health, logging.recent),
    ...agent.handlers,
    ...speech.handlers,
  } satisfies MethodHandlers);
  health.register('control-api', () => ({ ready: true, detail: `${socketServer.connectionCount} socket(s) connected` }));

  const httpServer = createServer(
    createControlRequestListener({
      token: config.token,
      maxJsonBytes: config.maxJsonBytes,
      staticDir: config.staticDir,
      routes: [...agent.routes, ...speech.routes],
      dispatcher,
      health,
      metrics,
      logger,
    }),
  );
  httpServer.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname !== SOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    socketServer.handleUpgrade(request, socket, head);
  });
  httpServer.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  try {
    await listen(httpServer, config.host, config.port);
  } catch (error) {
    logger.fatal({ err: error, port: config.port }, 'control API could not listen');
    await speech.close();
    await store.close();
    await logging.flush();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, mode: config.mode, dataDir: config.dataDir, ms: Date.now() - startedAt }, 'backend ready');
  speech.warmUp();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    token: config.token,
    logger,
    store,
    agent,
    broadcast,
    close: () =>
      (closing ??= (async () => {
        logger.info('backend stopping');
        await socketServer.close();
        await speech.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await store.close();
        logger.info('backend stopped');
        await logging.flush();
      })()),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
