import { WAHA_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH, type WhatsAppContact } from '#protocol';
import type { Disposable } from '../base';
import type { CapabilityContext, CapabilityFactory } from '../platform/capability';
import type { JobWorker } from '../platform/jobs';
import { RateLimiter } from './access/rate-limiter';
import { SendFailure, type MessagingAdapter } from './adapter/messaging-adapter';
import { GraphClient } from './cloud/graph-client';
import { missingConfig, WhatsAppConfigSource, type WhatsAppConfig } from './config/whatsapp-config';
import { ContactConfirmations } from './confirm/contact-confirmations';
import { cloudVerificationRoute, whatsappWebhooks } from './inbound/webhook-routes';
import { CONTACT_QUEUE } from './inbound/contact-jobs';
import { ContactWorker, type VoiceNoteTranscriber } from './inbound/contact-worker';
import { EarlyStatuses } from './inbound/early-statuses';
import { InboundIntake } from './inbound/inbound-intake';
import { WebhookReceiver } from './inbound/webhook-receiver';
import { handoffTool } from './handoff-tool';
import { OfferedChoices, offerChoicesTool } from './outbound/offered-choices';
import { OperatorReplies } from './outbound/operator-replies';
import { OutboundSender } from './outbound/outbound-sender';
import { Pacer, META_PACING, sendsPerSecondWithin } from './outbound/pacer';
import { mediaRoute } from './routes/media-route';
import { voiceRoute } from './routes/voice-route';
import { WhatsAppSimulator } from './simulator/simulator';
import { ContactRepository } from './store/contact-repository';
import { MediaFiles } from './store/media-files';
import { MediaRetention } from './store/media-retention';
import { MessageRepository } from './store/message-repository';
import { whatsappMigrations } from './store/migrations';
import { whatsappChannelConfig } from './whatsapp-channel';
import { whatsappHandlers } from './whatsapp-handlers';
import { WahaClient } from './waha/waha-client';
import { whatsappMetrics } from './whatsapp-metrics';

export interface WhatsAppDependencies {
  /** A new stored conversation on the WhatsApp channel (the agent's conversations). */
  createConversation(title: string): Promise<string>;
  /** Voice notes to text; without it they are answered as "could not be transcribed". */
  transcribe?: VoiceNoteTranscriber;
}

/**
 * Contacts' turns run at most this many at once (across contacts; one at a time per contact). A turn
 * mostly waits on the model, so this is sized for contacts who write every second or so: 100 of them
 * at a 300 ms first token need about 50 turns in flight to be answered within 2 s. Webhooks are
 * answered on the public listener's own thread, so however many turns run, no ACK waits for them.
 */
const DEFAULT_CONCURRENCY = 64;
/** How long a dead backend's claim on a contact's job holds before a restarted one resumes it. */
const DEFAULT_LEASE_MS = 10_000;

/**
 * The WhatsApp bridge: signed webhooks on the public listener, a durable per-contact queue on the
 * platform's jobs, the agent's turns on the 'whatsapp' channel, a recorded and paced sender, the
 * operator inbox's methods, confirmations asked with reply buttons, and the simulator contact.
 */
export function whatsappCapability(deps: WhatsAppDependencies): CapabilityFactory {
  return (context: CapabilityContext) => {
    const { logger, environment } = context;
    const config = new WhatsAppConfigSource(context.settings, context.secrets, context.mode === 'server' ? environment : undefined);
    const readConfig = () => config.get();
    const contacts = new ContactRepository(context.store.knex);
    const messages = new MessageRepository(context.store.knex);
    const media = new MediaFiles(context.dataDir);
    const retention = new MediaRetention({ media, retentionDays: async () => (await config.get()).mediaRetentionDays, logger });
    const changed = (contactId: string) => context.events.publish('whatsapp.changed', { contactId });
    const speech = () => context.speechSynthesis.current;
    // The simulator is made below (it delivers through the receiver); adapters are asked for only once messages flow.
    const adapters = new AdapterCache((): WhatsAppSimulator => simulator);
    const adapterFor = async (contact: WhatsAppContact) => adapters.for(contact, await config.get());
    const pacer = new Pacer(META_PACING, Date.now, (contactId, since) => messages.sendTimes(contactId, since));
    // Held statuses are reported as the receiver reports those that found their message.
    const earlyStatuses = new EarlyStatuses(messages, (change) => receiver.statusChanged(change));
    const sender = new OutboundSender({ messages, contacts, media, pacer, earlyStatuses, adapterFor, config: readConfig, changed, logger });
    const confirmations = new ContactConfirmations({ center: context.confirmations, contacts, messages, sender, changed, logger });
    const intake = new InboundIntake({ jobs: context.jobs, messages, contacts, confirmations, rateLimiter: new RateLimiter(), config: readConfig, changed, logger });
    const receiver = new WebhookReceiver({ intake, messages, earlyStatuses, config: readConfig, changed, logger, observer: whatsappMetrics(context.metrics), throughput: pacer });
    const simulator = new WhatsAppSimulator(receiver, logger);
    const choices = new OfferedChoices();
    const concurrency = positiveInteger(environment.WHATSAPP_CONCURRENCY, DEFAULT_CONCURRENCY);
    const replies = new OperatorReplies({ contacts, messages, media, jobs: context.jobs, speech, transcribe: deps.transcribe, changed });
    const worker = new ContactWorker({
      messages,
      contacts,
      media,
      sender,
      turns: context.turns,
      adapterFor,
      config: readConfig,
      createConversation: deps.createConversation,
      transcribe: deps.transcribe,
      speech,
      documents: () => context.documentIntake.current,
      choices,
      changed,
      logger,
    });
    let jobWorker: JobWorker | undefined;
    const registrations: Disposable[] = [];
    return {
      id: 'whatsapp',
      migrations: whatsappMigrations,
      methods: whatsappHandlers({ config, settings: context.settings, secrets: context.secrets, jobs: context.jobs, contacts, messages, simulator, replies, publicUrl: context.publicUrl, changed }),
      routes: [cloudVerificationRoute(async () => (await config.get()).verifyToken), mediaRoute(messages, media), voiceRoute({ simulator, replies, speech })],
      webhooks: whatsappWebhooks(receiver),
      tools: [handoffTool(contacts, changed), offerChoicesTool(choices)],
      health: {
        whatsapp: async () => {
          const current = await config.get();
          const missing = missingConfig(current);
          return { ready: true, detail: missing.length ? `not configured (${current.provider}): ${missing.length} setting(s) missing; the simulator works` : `${current.provider} configured` };
        },
      },
      async start() {
        registrations.push(context.turns.configureChannel('whatsapp', whatsappChannelConfig(readConfig)));
        // Calls that need a contact's yes ask them with reply buttons.
        registrations.push(context.confirmations.presentOn('whatsapp', confirmations.presenter));
        // The public listener's thread checks deliveries with these keys, and the pacer keeps to the
        // number's tier: both hear of every change.
        const applyConfig = async () => {
          const current = await config.get();
          context.webhookKeys.set(WHATSAPP_WEBHOOK_PATH, current.appSecret);
          context.webhookKeys.set(WAHA_WEBHOOK_PATH, current.wahaHmacKey);
          pacer.setPerNumberPerSecond(sendsPerSecondWithin(current.messagesPerSecond));
        };
        registrations.push(config.onChange(() => void applyConfig().catch((error: unknown) => logger.error({ err: error }, 'WhatsApp config could not be read'))));
        await applyConfig();
        jobWorker = context.jobs.work(CONTACT_QUEUE, { concurrency, leaseMs: positiveInteger(environment.WHATSAPP_JOB_LEASE_MS, DEFAULT_LEASE_MS) }, worker.handle);
      },
      serving() {
        retention.start();
      },
      async stop() {
        await retention.stop();
        simulator.dispose();
        await jobWorker?.dispose();
        for (const registration of registrations.splice(0).reverse()) registration.dispose();
      },
    };
  };
}

/** One adapter per contact kind, rebuilt when the config changes. */
class AdapterCache {
  private cloud: { config: WhatsAppConfig; client: GraphClient } | undefined;
  private waha: { config: WhatsAppConfig; client: WahaClient } | undefined;

  constructor(private readonly simulator: () => WhatsAppSimulator) {}

  for(contact: WhatsAppContact, config: WhatsAppConfig): MessagingAdapter {
    if (contact.provider === 'simulator') return this.simulator().graph;
    if (contact.provider === 'waha') {
      if (!config.wahaUrl || !config.wahaApiKey) throw new SendFailure('WAHA is not configured: set its URL and API key in the WhatsApp panel (or WAHA_URL, WAHA_API_KEY)', false, undefined);
      if (this.waha?.config !== config) this.waha = { config, client: new WahaClient({ url: config.wahaUrl, apiKey: config.wahaApiKey, session: config.wahaSession }) };
      return this.waha.client;
    }
    if (!config.accessToken || !config.phoneNumberId) {
      throw new SendFailure('WhatsApp Cloud API is not configured: set the access token and phone number id in the WhatsApp panel (or WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID)', false, undefined);
    }
    if (this.cloud?.config !== config) {
      this.cloud = {
        config,
        client: new GraphClient({ graphUrl: config.graphUrl, graphVersion: config.graphVersion, phoneNumberId: config.phoneNumberId, accessToken: config.accessToken }),
      };
    }
    return this.cloud.client;
  }
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
