// npm run demo:booking — the demo garage booking API on http://127.0.0.1:4010 (DEMO_BOOKING_PORT to change).
// Import it in Parley: Actions → Import demo booking API, or actions.importOpenApi {url: "<url>/openapi.json"}.
import { startBookingServer } from './booking-server.mjs';

const port = Number(process.env.DEMO_BOOKING_PORT ?? 4010);
const server = await startBookingServer({ port, apiKey: process.env.DEMO_BOOKING_API_KEY || undefined });
console.log(`Demo booking API on ${server.url} — OpenAPI document: ${server.url}/openapi.json`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
