import type { Settings, WhatsAppOptionalKind, WhatsAppProvider, WhatsAppTemplate, WhatsAppVoiceReplies } from '#protocol';
import type { SecretVault, SettingsRepository } from '../../store';
import { ListenerSet, type Disposable } from '../../base';

/** Everything the bridge needs to receive and send, resolved from the panel's settings, the vault and (server mode) the environment. */
export interface WhatsAppConfig {
  provider: WhatsAppProvider;
  appSecret: string | undefined;
  verifyToken: string | undefined;
  accessToken: string | undefined;
  phoneNumberId: string;
  graphUrl: string;
  graphVersion: string;
  wahaUrl: string;
  wahaApiKey: string | undefined;
  wahaSession: string;
  wahaHmacKey: string | undefined;
  template: WhatsAppTemplate | null;
  optOutKeywords: string[];
  sessionIdleMs: number;
  allowedTools: string[] | null;
  voiceReplies: WhatsAppVoiceReplies;
  /** Empty: everyone may write. */
  allowList: string[];
  blockList: string[];
  /** 0: no limit. */
  rateLimitPerMinute: number;
  /** Voice notes are deleted after this many days (0: kept). */
  mediaRetentionDays: number;
  /** The number's throughput tier (messages per second): the pacer keeps sends under it. */
  messagesPerSecond: number;
  /** Types recorded in the inbox but not answered. */
  unansweredKinds: WhatsAppOptionalKind[];
  /** The names of the environment variables that were applied. */
  fromEnvironment: string[];
}

/** The vault names of the bridge's secrets. */
export const whatsappSecretNames = {
  appSecret: 'whatsapp.appSecret',
  verifyToken: 'whatsapp.verifyToken',
  accessToken: 'whatsapp.accessToken',
  wahaApiKey: 'whatsapp.wahaApiKey',
  wahaHmacKey: 'whatsapp.wahaHmacKey',
} as const;

/** The environment variables of the issue, each onto the config field it sets. */
const environmentVariables = {
  WHATSAPP_APP_SECRET: 'appSecret',
  WHATSAPP_VERIFY_TOKEN: 'verifyToken',
  WHATSAPP_ACCESS_TOKEN: 'accessToken',
  WHATSAPP_PHONE_NUMBER_ID: 'phoneNumberId',
  WHATSAPP_GRAPH_URL: 'graphUrl',
  WHATSAPP_GRAPH_VERSION: 'graphVersion',
  WAHA_URL: 'wahaUrl',
  WAHA_API_KEY: 'wahaApiKey',
  WAHA_SESSION: 'wahaSession',
  WAHA_WEBHOOK_HMAC_KEY: 'wahaHmacKey',
} as const satisfies Record<string, keyof WhatsAppConfig>;

/**
 * Reads the config once and keeps it until a setting or the panel's connection form changes it:
 * the webhook path runs on every delivery and must not decrypt secrets each time.
 */
export class WhatsAppConfigSource {
  private cached: Promise<WhatsAppConfig> | undefined;
  private readonly changes = new ListenerSet<[]>();

  constructor(
    private readonly settings: SettingsRepository,
    private readonly secrets: SecretVault,
    /** Applied only in server mode: a desktop is configured from its panel. */
    private readonly environment: NodeJS.ProcessEnv | undefined,
  ) {
    settings.onChange((key) => {
      if (key.startsWith('whatsapp.') || key.startsWith('agent.')) this.invalidate();
    });
  }

  get(): Promise<WhatsAppConfig> {
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
    this.changes.emit();
  }

  /** After a setting or secret changed: `get()` reads the new config. */
  onChange(listener: () => void): Disposable {
    return this.changes.add(listener);
  }

  private async load(): Promise<WhatsAppConfig> {
    const settings = await this.settings.getAll();
    const secretEntries = await Promise.all(
      Object.entries(whatsappSecretNames).map(async ([field, name]) => [field, await this.secrets.get(name)] as const),
    );
    const secrets = Object.fromEntries(secretEntries) as Pick<WhatsAppConfig, keyof typeof whatsappSecretNames>;
    const config: WhatsAppConfig = { ...fromSettings(settings), ...secrets, fromEnvironment: [] };
    for (const [variable, field] of Object.entries(environmentVariables)) {
      const value = this.environment?.[variable]?.trim();
      if (!value) continue;
      (config as unknown as Record<string, unknown>)[field] = field === 'graphUrl' ? value.replace(/\/+$/, '') : value;
      config.fromEnvironment.push(variable);
    }
    // A server started with WAHA_URL alone means WAHA; with WHATSAPP_* it stays on the Cloud API.
    if (config.fromEnvironment.includes('WAHA_URL') && !config.fromEnvironment.some((name) => name.startsWith('WHATSAPP_'))) config.provider = 'waha';
    return config;
  }
}

function fromSettings(settings: Settings): Omit<WhatsAppConfig, keyof typeof whatsappSecretNames | 'fromEnvironment'> {
  return {
    provider: settings['whatsapp.provider'],
    phoneNumberId: settings['whatsapp.phoneNumberId'],
    graphUrl: settings['whatsapp.graphUrl'].replace(/\/+$/, ''),
    graphVersion: settings['whatsapp.graphVersion'],
    wahaUrl: settings['whatsapp.wahaUrl'].replace(/\/+$/, ''),
    wahaSession: settings['whatsapp.wahaSession'],
    template: settings['whatsapp.template'],
    optOutKeywords: settings['whatsapp.optOutKeywords'],
    sessionIdleMs: settings['whatsapp.sessionIdleHours'] * 3_600_000,
    allowedTools: settings['whatsapp.allowedTools'],
    voiceReplies: settings['whatsapp.voiceReplies'],
    allowList: settings['whatsapp.allowList'],
    blockList: settings['whatsapp.blockList'],
    rateLimitPerMinute: settings['whatsapp.rateLimitPerMinute'],
    mediaRetentionDays: settings['whatsapp.mediaRetentionDays'],
    messagesPerSecond: settings['whatsapp.messagesPerSecond'],
    unansweredKinds: settings['whatsapp.unansweredKinds'],
  };
}

/** What is still missing before the chosen provider can receive and send, in the panel's words. */
export function missingConfig(config: WhatsAppConfig): string[] {
  const missing: string[] = [];
  if (config.provider === 'cloud') {
    if (!config.appSecret) missing.push('App secret (WHATSAPP_APP_SECRET): webhooks cannot be verified without it');
    if (!config.verifyToken) missing.push('Verify token (WHATSAPP_VERIFY_TOKEN): Meta checks it when you register the webhook');
    if (!config.accessToken) missing.push('Access token (WHATSAPP_ACCESS_TOKEN): use a system-user token; temporary tokens expire daily');
    if (!config.phoneNumberId) missing.push('Phone number id (WHATSAPP_PHONE_NUMBER_ID)');
  } else {
    if (!config.wahaUrl) missing.push('WAHA URL (WAHA_URL)');
    if (!config.wahaApiKey) missing.push('WAHA API key (WAHA_API_KEY)');
  }
  return missing;
}
