// Sends the bench's webhook load from its own thread: the main thread also runs the scripted LLM and
// the fake Graph API for 100 contacts, and its busy event loop would otherwise count in each ACK time.
import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { signCloud, textMessage } from '../backend/whatsapp/cloud-payloads';

export interface LoadPlan {
  url: string;
  runId: string;
  contacts: number;
  messagesPerContact: number;
  /** Each contact writes every this often. */
  intervalMs: number;
  /** Every n-th message is delivered twice, as Meta re-delivers. */
  redeliveryEvery: number;
  /** The contacts' numbers are 1555 + this + index (distinct ranges for the warm-up and the measured run). */
  numberBase: number;
  /** Starts each message's token ("m-c12m3"), so the turns of one load are told apart from another's. */
  tag: string;
}

export interface LoadResult {
  ackMs: number[];
  /** [token, epoch ms of the first POST] per message. */
  postedAt: Array<[string, number]>;
}

/** Each contact's messages in its order, contacts interleaved; every POST's time to its 200. */
async function sendAll(plan: LoadPlan): Promise<LoadResult> {
  const ackMs: number[] = [];
  const postedAt: Array<[string, number]> = [];
  const contact = async (index: number) => {
    await delay((index * plan.intervalMs) / plan.contacts);
    for (let message = 0; message < plan.messagesPerContact; message++) {
      const token = `${plan.tag}-c${index}m${message}`;
      const { payload } = textMessage(`Question ${token}`, { from: contactNumber(plan, index), id: `wamid.bench.${plan.runId}.${token}` });
      const raw = Buffer.from(JSON.stringify(payload));
      const post = async () => {
        const started = performance.now();
        const status = await postOnce(plan.url, raw, signCloud(raw));
        if (status !== 200) throw new Error(`webhook answered ${status}`);
        ackMs.push(performance.now() - started);
      };
      postedAt.push([token, Date.now()]);
      await post();
      if ((index * plan.messagesPerContact + message) % plan.redeliveryEvery === 0) await post();
      await delay(plan.intervalMs);
    }
  };
  await Promise.all(Array.from({ length: plan.contacts }, (_, index) => contact(index)));
  return { ackMs, postedAt };
}

/** Keep-alive connections, as Meta's deliveries reuse theirs; node:http, because fetch cost this thread more CPU per POST than the backend spent answering it. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function postOnce(url: string, body: Buffer, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-hub-signature-256': signature } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

export function contactNumber(plan: Pick<LoadPlan, 'numberBase'>, index: number): string {
  return `1555${String(plan.numberBase + index).padStart(7, '0')}`;
}

if (parentPort) {
  const result = await sendAll(workerData as LoadPlan);
  parentPort.postMessage(result);
}
