import { ParleyError } from '#protocol';
import type { CapabilityFactory } from '../../../../backend/platform/capability';
import type { SpooledDelivery, WebhookAnswer } from '../../../../backend/platform/http';

export const SPOOLED_HOOK_PATH = '/hooks/spooled';

/** A test capability with one spooled webhook (HMAC-SHA256 hex in x-signature), whose consumer the test steers. */
export interface SpooledHook {
  capability: CapabilityFactory;
  consumed: Array<{ text: string; receivedAt: number }>;
  answers: WebhookAnswer[];
  /** Consumer behaviour per delivery text: 'fail' throws an error (retried), 'malformed' a bad_request (dropped). */
  behaviour: Map<string, 'fail' | 'malformed'>;
  /** When each delivery text was offered to the consumer (epoch ms), in order. */
  attempts: Map<string, number[]>;
  setKey(key: string | undefined): void;
}

export function spooledHook(initialKey: string | undefined): SpooledHook {
  let setKey: (key: string | undefined) => void = () => {};
  const hook: SpooledHook = {
    consumed: [],
    answers: [],
    behaviour: new Map(),
    attempts: new Map(),
    setKey: (key) => setKey(key),
    capability: ({ webhookKeys }) => {
      setKey = (key) => webhookKeys.set(SPOOLED_HOOK_PATH, key);
      return {
        id: 'spooled-hook',
        webhooks: [
          {
            path: SPOOLED_HOOK_PATH,
            maxBodyBytes: 4096,
            signature: { header: 'x-signature', algorithm: 'sha256', prefix: '' },
            unconfigured: 'No key for the spooled hook',
            refused: 'Bad signature',
            async consume(delivery: SpooledDelivery) {
              const { text } = JSON.parse(delivery.raw.toString('utf8')) as { text: string };
              hook.attempts.set(text, [...(hook.attempts.get(text) ?? []), Date.now()]);
              const behaviour = hook.behaviour.get(text);
              if (behaviour === 'fail') throw new Error(`cannot take "${text}" now`);
              if (behaviour === 'malformed') throw new ParleyError('bad_request', `"${text}" is malformed`);
              hook.consumed.push({ text, receivedAt: delivery.receivedAt });
            },
            answered: (answer) => hook.answers.push(answer),
          },
        ],
        start: () => setKey(initialKey),
      };
    },
  };
  return hook;
}
