import { timingSafeEqual } from 'node:crypto';
import { ParleyError, WHATSAPP_WEBHOOK_PATH } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import { sendJson } from '../../platform/http';
import type { WebhookReceiver } from './webhook-receiver';

/** Meta's deliveries are small; 1 MiB leaves room for a batch and refuses anything abusive with 413. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** GET (Meta's verification handshake) and POST (signed deliveries) on /webhooks/whatsapp, on the public listener. */
export function cloudWebhookRoutes(receiver: WebhookReceiver): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: WHATSAPP_WEBHOOK_PATH,
      exposure: 'public',
      // The verify token only, never the signature: the handshake is a GET without a body.
      async serve(_request, response, context) {
        const query = context.url.searchParams;
        const expected = (await receiver.config()).verifyToken;
        const given = query.get('hub.verify_token') ?? '';
        if (query.get('hub.mode') !== 'subscribe' || !expected || !sameText(given, expected)) {
          throw new ParleyError('forbidden', 'Webhook verification refused: hub.mode must be "subscribe" and hub.verify_token must match WHATSAPP_VERIFY_TOKEN');
        }
        const challenge = query.get('hub.challenge') ?? '';
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(challenge) });
        response.end(challenge);
      },
    },
    {
      method: 'POST',
      path: WHATSAPP_WEBHOOK_PATH,
      exposure: 'public',
      maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
      async serve(request, response, context) {
        const raw = await context.readRawBody();
        const appSecret = (await receiver.config()).appSecret;
        if (!appSecret) throw new ParleyError('unavailable', 'WhatsApp is not configured: no app secret (WHATSAPP_APP_SECRET) to verify deliveries with');
        const signature = headerValue(request.headers['x-hub-signature-256']);
        const outcome = await receiver.receiveCloud(raw, signature, appSecret);
        sendJson(response, 200, outcome);
      },
    },
  ];
}

export function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
