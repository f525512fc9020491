// The demo garage booking API: services, free slots per date and branch, bookings. In memory,
// one process; it serves its own OpenAPI document at /openapi.json with its real address as the
// server, so Parley imports it in one click. Plain JavaScript so `node` runs it without a build.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const DOCUMENT = JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'));
const BRANCHES = [
  { id: 'north', name: 'North branch', address: '12 Ring Road' },
  { id: 'south', name: 'South branch', address: '3 Harbour Street' },
];
const SERVICES = [
  { id: 'oil-change', name: 'Oil change', minutes: 45, priceEur: 89 },
  { id: 'tyre-swap', name: 'Seasonal tyre swap', minutes: 30, priceEur: 49 },
  { id: 'inspection', name: 'Annual inspection', minutes: 60, priceEur: 120 },
];
const HOURS = [9, 10, 11, 12, 13, 14, 15, 16];

/**
 * Starts the API. `apiKey` makes every call but /openapi.json require `Authorization: Bearer <apiKey>`.
 * Resolves with its URL, its state (bookings, every request seen) and close().
 */
export async function startBookingServer({ port = 0, host = '127.0.0.1', apiKey } = {}) {
  const bookings = new Map();
  const requests = [];
  let counter = 0;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body: text });
    const send = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/openapi.json') {
      const address = server.address();
      return send(200, { ...DOCUMENT, servers: [{ url: `http://${host}:${address.port}` }] });
    }
    if (apiKey && request.headers.authorization !== `Bearer ${apiKey}`) return send(401, { error: 'missing or wrong bearer token' });
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /branches') return send(200, BRANCHES);
    if (route === 'GET /services') return send(200, SERVICES);
    if (route === 'GET /slots') {
      const date = url.searchParams.get('date') ?? '';
      const branch = url.searchParams.get('branch') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return send(400, { error: 'date must be YYYY-MM-DD' });
      if (!BRANCHES.some((candidate) => candidate.id === branch)) return send(400, { error: `unknown branch "${branch}"` });
      const taken = new Set([...bookings.values()].filter((booking) => booking.status === 'booked').map((booking) => booking.slotId));
      return send(200, HOURS.map((hour) => slotOf(branch, date, hour)).filter((slot) => !taken.has(slot.slotId)));
    }
    if (route === 'GET /bookings') return send(200, [...bookings.values()].filter((booking) => booking.status === 'booked'));
    if (route === 'POST /bookings') {
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        return send(400, { error: 'body must be JSON' });
      }
      const slot = parseSlotId(body?.slotId);
      if (!slot) return send(400, { error: 'unknown slotId' });
      if (!SERVICES.some((service) => service.id === body.serviceId)) return send(400, { error: 'unknown serviceId' });
      if (!body.car?.plate || !body.car?.model || !body.customerName) return send(400, { error: 'car.plate, car.model and customerName are required' });
      if ([...bookings.values()].some((booking) => booking.status === 'booked' && booking.slotId === body.slotId)) return send(409, { error: 'slot already taken' });
      const booking = { bookingId: `B-${++counter}`, serviceId: body.serviceId, slotId: body.slotId, branch: slot.branch, start: slot.start, car: body.car, customerName: body.customerName, phone: body.phone, status: 'booked' };
      bookings.set(booking.bookingId, booking);
      return send(201, booking);
    }
    const match = /^\/bookings\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const booking = bookings.get(decodeURIComponent(match[1]));
      if (!booking) return send(404, { error: 'no such booking' });
      if (request.method === 'GET') return send(200, booking);
      if (request.method === 'DELETE') {
        booking.status = 'cancelled';
        return send(200, booking);
      }
    }
    return send(404, { error: `no route ${route}` });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    bookings: () => [...bookings.values()],
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function slotOf(branch, date, hour) {
  const start = `${date}T${String(hour).padStart(2, '0')}:00`;
  return { slotId: `${branch}-${date}-${hour}`, branch, start };
}

function parseSlotId(slotId) {
  const match = /^(north|south)-(\d{4}-\d{2}-\d{2})-(\d{1,2})$/.exec(String(slotId ?? ''));
  if (!match || !HOURS.includes(Number(match[3]))) return undefined;
  return slotOf(match[1], match[2], Number(match[3]));
}
