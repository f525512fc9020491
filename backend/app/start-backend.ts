import { join } from 'node:path';
import { methods as protocolMethods, type MethodSpec } from '#protocol';
import { createAgentRuntime, type AgentRuntime } from '../agent';
import type { Capability, CapabilityContext, CapabilityFactory } from '../platform/capability';
import { EventBus } from '../platform/events';
import { createSqliteJobQueue, jobMigrations, type JobQueue } from '../platform/jobs';
import { BackendMetrics, createBackendLogging, HealthRegistry, type Logger } from '../platform/observability';
import { ToolRegistry } from '../platform/tools';
import { ConfirmationCenter } from '../platform/confirmations';
import type { DocumentIntake, SpeechSynthesis } from '../platform/intake';
import { Slot } from '../base';
import {
  ControlSocketServer,
  createControlRequestListener,
  listenHttp,
  listenPublic,
  PARLEY_VERSION,
  RpcDispatcher,
  SigningKeyRing,
  SOCKET_PATH,
  webhookSpoolMigrations,
  type AnyMethodHandler,
  type BackendConfig,
  type RunningListener,
} from '../server';
import { APP_DATABASE_FILE, openAppStore, type AppStore } from '../store';
import { settleWithinMs } from './bounded';
import { productCapabilities } from './capabilities';
import { shellCapability } from './shell-capability';

/** A capability's stop may take this long before the backend moves on without it. */
const STOP_TIMEOUT_MS = 5_000;

export interface StartBackendOptions {
  /** The capabilities to run, in start order; the product's by default. Tests add throwaway ones. */
  capabilities?: (agent: AgentRuntime) => CapabilityFactory[];
  /** The protocol's method table; a test's throwaway capability brings its own methods. */
  methods?: Readonly<Record<string, MethodSpec>>;
}

export interface RunningBackend {
  /** Base URL of the control API, e.g. http://127.0.0.1:7861 */
  url: string;
  port: number;
  token: string;
  /** Base URL of the public listener (webhooks), or undefined when it could not listen. */
  publicUrl: string | undefined;
  logger: Logger;
  store: AppStore;
  agent: AgentRuntime;
  events: EventBus;
  tools: ToolRegistry;
  jobs: JobQueue;
  /** Stops accepting, closes sockets, stops every capability in reverse order, then the store and the log. */
  close(): Promise<void>;
}

/**
 * The composition root: builds the platform (log, metrics, health, store, events, tools, socket),
 * the agent's turn runner, then every capability from one context; applies their migrations,
 * serves their methods and routes, registers their tools and health checks, and starts them in
 * order. The only module that knows every capability.
 */
export async function startBackend(config: BackendConfig, options: StartBackendOptions = {}): Promise<RunningBackend> {
  const startedAt = Date.now();
  const logging = await createBackendLogging({ dataDir: config.dataDir, level: config.logLevel, toStdout: config.mode === 'server' });
  const { logger } = logging;
  const metrics = new BackendMetrics();
  const health = new HealthRegistry(PARLEY_VERSION);

  let store: AppStore;
  try {
    store = await openAppStore({ dataDir: config.dataDir, secretKey: config.secretKey });
  } catch (error) {
    logger.fatal({ err: error }, 'app store could not be opened');
    await logging.flush();
    throw error;
  }

  const jobs = createSqliteJobQueue({ knex: store.knex, logger });
  const events = new EventBus();
  const tools = new ToolRegistry();
  let dispatcher: RpcDispatcher | undefined;
  const socketServer = new ControlSocketServer({
    token: config.token,
    mode: config.mode,
    version: PARLEY_VERSION,
    maxJsonBytes: config.maxJsonBytes,
    dispatcher: { dispatch: (method, params, context) => dispatcher!.dispatch(method, params, context) },
    metrics,
    logger,
  });
  const eventSink = events.addSink(socketServer);
  const agent = createAgentRuntime({ store, tools, publish: events.publish, metrics });
  let publicUrl: string | undefined;
  const webhookKeys = new SigningKeyRing();
  const confirmations = new ConfirmationCenter(events.publish, async () => (await store.settings.get('confirmations.timeoutSeconds')) * 1000);
  const context: CapabilityContext = {
    mode: config.mode,
    dataDir: config.dataDir,
    environment: config.environment,
    store,
    settings: store.settings,
    secrets: store.secrets,
    logger,
    metrics,
    recentLogs: logging.recent,
    health,
    events,
    connections: socketServer,
    tools,
    jobs,
    turns: agent.turns,
    confirmations,
    documentIntake: new Slot<DocumentIntake>(),
    speechSynthesis: new Slot<SpeechSynthesis>(),
    publicUrl: () => publicUrl,
    webhookKeys,
  };

  const started: Capability[] = [];
  const listeners: RunningListener[] = [];
  const stopAll = async () => {
    await socketServer.close();
    await Promise.all(listeners.splice(0).map((listener) => listener.close()));
    for (const capability of started.splice(0).reverse()) {
      const stopped = await settleWithinMs(
        Promise.resolve()
          .then(() => capability.stop?.())
          .catch((error: unknown) => logger.error({ err: error, capability: capability.id }, 'capability failed to stop')),
        STOP_TIMEOUT_MS,
      );
      if (!stopped) logger.warn({ capability: capability.id, ms: STOP_TIMEOUT_MS }, 'capability did not stop in time; moving on');
    }
    confirmations.cancelAll();
    await jobs.stop();
    eventSink.dispose();
    await store.close();
  };

  try {
    const factories = [shellCapability(config, socketServer, startedAt), ...(options.capabilities ?? productCapabilities)(agent)];
    const capabilities = factories.map((create) => {
      // Each capability logs with its id as `component` (the Diagnostics log filter); the id is known once it is built.
      const component = logger.child({});
      const capability = create({ ...context, logger: component });
      component.setBindings({ component: capability.id });
      return capability;
    });
    assertUniqueIds(capabilities);
    // The platform's own tables first (the job queue, the webhook spool), then each capability's, in list order.
    await store.applyMigrations([...jobMigrations, ...webhookSpoolMigrations, ...capabilities.flatMap((capability) => capability.migrations ?? [])]);
    for (const capability of capabilities) {
      for (const tool of capability.tools ?? []) tools.register(tool);
      for (const [component, check] of Object.entries(capability.health ?? {})) health.register(component, check);
    }
    dispatcher = new RpcDispatcher(options.methods ?? protocolMethods, mergeHandlers(capabilities), logger, metrics);
    for (const capability of capabilities) {
      await capability.start?.();
      started.push(capability);
    }
    // Workers registered in start() begin claiming now; jobs left by a previous run resume.
    jobs.start();

    const routes = capabilities.flatMap((capability) => capability.routes ?? []);
    const control = await listenHttp({
      host: config.host,
      port: config.port,
      serve: createControlRequestListener({
        token: config.token,
        maxJsonBytes: config.maxJsonBytes,
        staticDir: config.staticDir,
        routes: routes.filter((route) => route.exposure === 'control'),
        dispatcher,
        health,
        metrics,
        logger,
      }),
      upgrade: (request, socket, head) => {
        const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
        if (pathname === SOCKET_PATH) socketServer.handleUpgrade(request, socket, head);
        else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      },
    }).catch((error: unknown) => {
      logger.fatal({ err: error, port: config.port }, 'control API could not listen');
      throw error;
    });
    listeners.push(control);
    publicUrl = await listenPublic(
      {
        config,
        routes: routes.filter((route) => route.exposure === 'public'),
        webhooks: capabilities.flatMap((capability) => capability.webhooks ?? []),
        keys: webhookKeys,
        knex: store.knex,
        databaseFile: join(config.dataDir, APP_DATABASE_FILE),
        health,
        metrics,
        logger,
      },
      listeners,
    );
  } catch (error) {
    await stopAll();
    await logging.flush();
    throw error;
  }

  const port = listeners[0]!.port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, publicUrl, mode: config.mode, dataDir: config.dataDir, ms: Date.now() - startedAt }, 'backend ready');
  for (const capability of started) capability.serving?.();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    token: config.token,
    publicUrl,
    logger,
    store,
    agent,
    events,
    tools,
    jobs,
    close: () =>
      (closing ??= (async () => {
        logger.info('backend stopping');
        await stopAll();
        logger.info('backend stopped');
        await logging.flush();
      })()),
  };
}

function assertUniqueIds(capabilities: Capability[]): void {
  const seen = new Set<string>();
  for (const { id } of capabilities) {
    if (seen.has(id)) throw new Error(`Two capabilities have the id "${id}"`);
    seen.add(id);
  }
}

function mergeHandlers(capabilities: Capability[]): Record<string, AnyMethodHandler> {
  const handlers: Record<string, AnyMethodHandler> = {};
  const owners = new Map<string, string>();
  for (const capability of capabilities) {
    for (const [method, handler] of Object.entries(capability.methods ?? {})) {
      const owner = owners.get(method);
      if (owner) throw new Error(`Both ${owner} and ${capability.id} handle ${method}`);
      owners.set(method, capability.id);
      handlers[method] = handler;
    }
  }
  return handlers;
}
