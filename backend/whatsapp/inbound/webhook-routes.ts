import { timingSafeEqual } from 'node:crypto';
import { ParleyError, WAHA_WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH } from '#protocol';
import type { HttpRoute, SpooledWebhook } from '../../platform/http';
import type { WebhookReceiver } from './webhook-receiver';

/** Meta's deliveries are small; 1 MiB leaves room for a batch and refuses anything abusive with 413. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/**
 * POST /webhooks/whatsapp (Meta's deliveries, X-Hub-Signature-256: HMAC-SHA256 with the app secret)
 * and POST /webhooks/waha (WAHA's events, X-Webhook-Hmac: HMAC-SHA512 with the webhook key; unsigned
 * ones are refused, the URL is public and a forged message would reach the agent).
 */
export function whatsappWebhooks(receiver: WebhookReceiver): SpooledWebhook[] {
  return [
    {
      path: WHATSAPP_WEBHOOK_PATH,
      maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
      signature: { header: 'x-hub-signature-256', algorithm: 'sha256', prefix: 'sha256=' },
      unconfigured: 'WhatsApp is not configured: no app secret (WHATSAPP_APP_SECRET) to verify deliveries with',
      refused: 'Missing or wrong X-Hub-Signature-256',
      consume: async (delivery) => void (await receiver.consumeCloud(delivery)),
      answered: (answer, ms) => receiver.answered('cloud', answer, ms),
    },
    {
      path: WAHA_WEBHOOK_PATH,
      maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
      signature: { header: 'x-webhook-hmac', algorithm: 'sha512', prefix: '' },
      unconfigured: 'WAHA webhooks need a signing key: set WAHA_WEBHOOK_HMAC_KEY here and the same HMAC key in the WAHA webhook config',
      refused: 'Missing or wrong X-Webhook-Hmac',
      consume: async (delivery) => void (await receiver.consumeWaha(delivery)),
      answered: (answer, ms) => receiver.answered('waha', answer, ms),
    },
  ];
}

/** GET /webhooks/whatsapp: Meta's verification handshake, on the public listener. The verify token only: it has no body to sign. */
export function cloudVerificationRoute(verifyToken: () => Promise<string | undefined>): HttpRoute {
  return {
    method: 'GET',
    path: WHATSAPP_WEBHOOK_PATH,
    exposure: 'public',
    async serve(_request, response, context) {
      const query = context.url.searchParams;
      const expected = await verifyToken();
      const given = query.get('hub.verify_token') ?? '';
      if (query.get('hub.mode') !== 'subscribe' || !expected || !sameText(given, expected)) {
        throw new ParleyError('forbidden', 'Webhook verification refused: hub.mode must be "subscribe" and hub.verify_token must match WHATSAPP_VERIFY_TOKEN');
      }
      const challenge = query.get('hub.challenge') ?? '';
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(challenge) });
      response.end(challenge);
    },
  };
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
