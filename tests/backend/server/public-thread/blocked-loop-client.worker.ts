// Posts one signed delivery from its own thread and reports when the answer came, so the test can
// block the main thread (where the backend runs) meanwhile.
import { createHmac } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { url, key, body } = workerData as { url: string; key: string; body: string };
const signature = createHmac('sha256', key).update(body).digest('hex');
const response = await fetch(url, { method: 'POST', headers: { 'x-signature': signature, 'content-type': 'application/json' }, body });
parentPort!.postMessage({ status: response.status, answeredAt: Date.now() });
