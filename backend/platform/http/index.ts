/** What every HTTP route is made of: its type, body reading within limits, JSON and SSE answers, and spooled webhooks. */
export { routeMatches, type HttpRoute, type HttpRouteContext, type RouteExposure } from './route';
export { readRawBody, readJsonBody, parseRequestBody } from './body';
export { sendJson, sendError } from './respond';
export { createSseWriter, type SseWriter } from './sse';
export type { SpooledWebhook, SpooledDelivery, WebhookAnswer, WebhookSigningKeys } from './spooled-webhook';
