import { WAHA_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH, type MethodHandlers, type WhatsAppStatus } from '#protocol';
import type { JobQueue } from '../platform/jobs';
import type { SecretVault, SettingsRepository } from '../store';
import { missingConfig, whatsappSecretNames, type WhatsAppConfigSource } from './config/whatsapp-config';
import { CONTACT_QUEUE } from './inbound/contact-jobs';
import type { OperatorReplies } from './outbound/operator-replies';
import { SIMULATOR_CONTACT, type WhatsAppSimulator } from './simulator/simulator';
import type { ContactRepository } from './store/contact-repository';
import type { MessageRepository } from './store/message-repository';

export type WhatsAppMethod =
  | 'whatsapp.status'
  | 'whatsapp.configure'
  | 'whatsapp.contacts.list'
  | 'whatsapp.messages.list'
  | 'whatsapp.contacts.markRead'
  | 'whatsapp.contacts.takeOver'
  | 'whatsapp.reply'
  | 'whatsapp.simulator.send';

export interface WhatsAppHandlerDeps {
  config: WhatsAppConfigSource;
  settings: SettingsRepository;
  secrets: SecretVault;
  jobs: JobQueue;
  contacts: ContactRepository;
  messages: MessageRepository;
  simulator: WhatsAppSimulator;
  replies: OperatorReplies;
  /** The public listener's base URL, once it listens. */
  publicUrl(): string | undefined;
  changed(contactId: string): void;
}

export function whatsappHandlers(deps: WhatsAppHandlerDeps): MethodHandlers<WhatsAppMethod> {
  const { contacts, messages } = deps;
  const status = async (): Promise<WhatsAppStatus> => {
    const config = await deps.config.get();
    const counts = (await deps.jobs.counts()).find((entry) => entry.queue === CONTACT_QUEUE);
    const missing = missingConfig(config);
    const publicUrl = deps.publicUrl();
    return {
      provider: config.provider,
      configured: missing.length === 0,
      missing,
      fromEnvironment: config.fromEnvironment,
      webhookPath: WHATSAPP_WEBHOOK_PATH,
      wahaWebhookPath: WAHA_WEBHOOK_PATH,
      webhookUrl: publicUrl ? `${publicUrl}${WHATSAPP_WEBHOOK_PATH}` : null,
      wahaWebhookUrl: publicUrl ? `${publicUrl}${WAHA_WEBHOOK_PATH}` : null,
      graphUrl: config.graphUrl,
      graphVersion: config.graphVersion,
      phoneNumberId: config.phoneNumberId,
      wahaUrl: config.wahaUrl,
      wahaSession: config.wahaSession,
      secrets: {
        appSecret: Boolean(config.appSecret),
        verifyToken: Boolean(config.verifyToken),
        accessToken: Boolean(config.accessToken),
        wahaApiKey: Boolean(config.wahaApiKey),
        wahaHmacKey: Boolean(config.wahaHmacKey),
      },
      queue: { queued: counts?.queued ?? 0, running: counts?.running ?? 0, dead: counts?.dead ?? 0 },
    };
  };

  return {
    'whatsapp.status': status,
    'whatsapp.configure': async (input) => {
      const settingKeys = { provider: 'whatsapp.provider', graphUrl: 'whatsapp.graphUrl', graphVersion: 'whatsapp.graphVersion', phoneNumberId: 'whatsapp.phoneNumberId', wahaUrl: 'whatsapp.wahaUrl', wahaSession: 'whatsapp.wahaSession' } as const;
      for (const [field, key] of Object.entries(settingKeys)) {
        const value = input[field as keyof typeof settingKeys];
        if (value !== undefined) await deps.settings.set(key, value);
      }
      for (const [field, name] of Object.entries(whatsappSecretNames)) {
        const value = input[field as keyof typeof whatsappSecretNames];
        if (value === undefined) continue;
        if (value === '') await deps.secrets.delete(name);
        else await deps.secrets.set(name, value);
      }
      deps.config.invalidate();
      return status();
    },
    'whatsapp.contacts.list': async () => ({ contacts: await contacts.list() }),
    'whatsapp.messages.list': async ({ contactId, limit }) => ({ contact: await contacts.get(contactId), messages: await messages.list(contactId, limit) }),
    'whatsapp.contacts.markRead': async ({ contactId }) => {
      await contacts.markRead(contactId);
      deps.changed(contactId);
      return { contact: await contacts.get(contactId) };
    },
    'whatsapp.contacts.takeOver': async ({ contactId, takenOver }) => {
      await contacts.get(contactId);
      await contacts.setFlag(contactId, 'taken_over', takenOver);
      deps.changed(contactId);
      return { contact: await contacts.get(contactId) };
    },
    'whatsapp.reply': async ({ contactId, text }) => ({ messages: await deps.replies.text(contactId, text) }),
    'whatsapp.simulator.send': async ({ text, choice }) => {
      const messageId = choice ? await deps.simulator.tap(choice) : await deps.simulator.send(text!);
      return { contactId: SIMULATOR_CONTACT.id, messageId };
    },
  };
}
