import { ParleyError, WAHA_WEBHOOK_PATH } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import { sendJson } from '../../platform/http';
import { headerValue, WEBHOOK_MAX_BODY_BYTES } from './cloud-webhook-routes';
import type { WebhookReceiver } from './webhook-receiver';

/** POST /webhooks/waha on the public listener: WAHA's events, signed with X-Webhook-Hmac (HMAC-SHA512). */
export function wahaWebhookRoute(receiver: WebhookReceiver): HttpRoute {
  return {
    method: 'POST',
    path: WAHA_WEBHOOK_PATH,
    exposure: 'public',
    maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
    async serve(request, response, context) {
      const raw = await context.readRawBody();
      const config = await receiver.config();
      // Unsigned WAHA events are refused: the URL is public, and a forged message would reach the agent.
      if (!config.wahaHmacKey) throw new ParleyError('unavailable', 'WAHA webhooks need a signing key: set WAHA_WEBHOOK_HMAC_KEY here and the same HMAC key in the WAHA webhook config');
      const outcome = await receiver.receiveWaha(raw, headerValue(request.headers['x-webhook-hmac']), config.wahaHmacKey, config.wahaSession);
      sendJson(response, 200, outcome);
    },
  };
}
