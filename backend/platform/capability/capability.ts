import type { HandlerContext } from '#protocol';
import type { HttpRoute, SpooledWebhook, WebhookSigningKeys } from '../http';
import type { BackendMetrics, HealthCheck, HealthRegistry, Logger, RecentLogBuffer } from '../observability';
import type { ConnectionChannel, EventBus } from '../events';
import type { AgentTool, ToolRegistry } from '../tools';
import type { JobQueue } from '../jobs';
import type { TurnRunner } from '../turns';
import type { ConfirmationCenter } from '../confirmations';
import type { DocumentIntake, SpeechSynthesis } from '../intake';
import type { Slot } from '../../base';
import type { AppStore, SecretVault, SettingsRepository, StoreMigration } from '../../store';

/** A handler as a capability contributes it; `satisfies MethodHandlers<...>` types it against the protocol. */
export type CapabilityMethodHandler = (params: never, context: HandlerContext) => unknown;

/** What the backend's platform gives every capability when it is built. */
export interface CapabilityContext {
  mode: 'desktop' | 'server';
  dataDir: string;
  /** The environment capabilities read their own settings from (PARLEY_LLM_*, WHATSAPP_*...). */
  environment: NodeJS.ProcessEnv;
  store: AppStore;
  settings: SettingsRepository;
  secrets: SecretVault;
  /** A child logger named after the capability. */
  logger: Logger;
  metrics: BackendMetrics;
  /** The latest log entries in memory (the Diagnostics panel's log view). */
  recentLogs: RecentLogBuffer;
  /** For checks that come and go (one per database connection); fixed ones go in `Capability.health`. */
  health: HealthRegistry;
  events: EventBus;
  /** Each console socket's own traffic (voice streams). */
  connections: ConnectionChannel;
  tools: ToolRegistry;
  /** The durable job queue on the app store (WhatsApp inbound messages, document ingest). */
  jobs: JobQueue;
  /** The one turn runner every channel answers through. */
  turns: TurnRunner;
  /** Calls that change things wait here for a person's approval (console card, WhatsApp buttons). */
  confirmations: ConfirmationCenter;
  /** Where the documents capability takes files other channels received (WhatsApp PDFs). */
  documentIntake: Slot<DocumentIntake>;
  /** Where the speech capability offers its text-to-speech (WhatsApp's voice-note replies). */
  speechSynthesis: Slot<SpeechSynthesis>;
  /** The public listener's base URL (webhooks) once it listens; undefined before, or when it could not listen. */
  publicUrl(): string | undefined;
  /** The keys the capability's `webhooks` are signed with, set again whenever its settings change them. */
  webhookKeys: WebhookSigningKeys;
}

/**
 * One feature of the backend, as the composition root (backend/app) sees it. Everything is
 * optional but the id; the app applies migrations before `start`, serves the methods and routes,
 * registers tools and health checks, and calls `stop` in reverse order, each bounded in time.
 */
export interface Capability {
  id: string;
  /** Schema changes of the capability's own tables, applied in order after the store's. */
  migrations?: readonly StoreMigration[];
  /** Handlers for the methods of its protocol module (backend/protocol/<capability>.ts). */
  methods?: Readonly<Record<string, CapabilityMethodHandler>>;
  /** Its HTTP routes, each marked 'control' (token, loopback) or 'public' (the webhook listener). */
  routes?: readonly HttpRoute[];
  /** Its webhooks: answered on the public listener's own thread once spooled, consumed here in arrival order. */
  webhooks?: readonly SpooledWebhook[];
  /** Tools registered for the capability's whole life; tools that come and go use `context.tools`. */
  tools?: readonly AgentTool[];
  /** Health checks by component name, shown in /healthz and Diagnostics. */
  health?: Readonly<Record<string, HealthCheck>>;
  /** After migrations, before the listeners open. Load heavy engines lazily, not here: cold start counts. */
  start?(): Promise<void> | void;
  /** Once the listeners accept connections: warm-ups that must not delay the start. */
  serving?(): void;
  /** After the listeners closed. */
  stop?(): Promise<void> | void;
}

export type CapabilityFactory = (context: CapabilityContext) => Capability;
