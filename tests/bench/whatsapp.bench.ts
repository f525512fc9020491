import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { reply, startScriptedOpenAiServer } from '../support/scripted-openai-server';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, signCloud, textMessage, VERIFY_TOKEN } from '../backend/whatsapp/cloud-payloads';
import { startFakeGraphServer } from '../backend/whatsapp/fake-graph-server';
import { percentile, type BenchRow } from './bench-table';

const CONTACTS = 100;
const MESSAGES_PER_CONTACT = 5;
/** Each contact writes every this often: 100 contacts make 100 webhooks a second. */
const CONTACT_INTERVAL_MS = 1_000;
/** Meta re-delivers: one message in ten arrives twice. */
const REDELIVERY_EVERY = 10;
const FIRST_TOKEN_DELAY_MS = 300;

/**
 * The WhatsApp bridge under load: 100 contacts × 5 messages, signed webhooks to the built backend
 * (a real process), the scripted LLM at 300 ms to first token, replies to a fake Graph API.
 * ACK latency has a baseline: a bare node:http receiver that checks the same HMAC and stores nothing.
 */
export async function benchWhatsApp(): Promise<BenchRow[]> {
  const llm = await startScriptedOpenAiServer({ models: ['bench-model'], whenEmpty: reply.text('Thanks, noted.', { firstTokenDelayMs: FIRST_TOKEN_DELAY_MS }) });
  const graph = await startFakeGraphServer();
  const bare = await startBareReceiver();
  const server = await startServerProcess({
    env: {
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_LLM_BASE_URL: llm.baseUrl,
      PARLEY_LLM_MODEL: 'bench-model',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_GRAPH_URL: graph.url,
    },
  });
  try {
    const webhookUrl = `${await webhookBase(server)}/webhooks/whatsapp`;
    const baselineAck = await sendAll(bare.url, () => undefined);
    const rssBefore = rssMb(server.child.pid!);
    const postedAt = new Map<string, number>();
    const ackMs = await sendAll(webhookUrl, (token, at) => postedAt.set(token, at));
    // Every message answered, or give up after 60 s.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && answeredTokens(llm.chatRequests).size < CONTACTS * MESSAGES_PER_CONTACT) await delay(200);
    await delay(2_000);
    const rssAfter = rssMb(server.child.pid!);

    const { replyMs, duplicates, losses } = matchReplies(llm.chatRequests, graph, postedAt);
    const total = CONTACTS * MESSAGES_PER_CONTACT;
    return [
      { name: `WhatsApp webhook ACK p50 (${ackMs.length} POSTs)`, value: percentile(ackMs, 50), unit: 'ms', baselineName: 'bare HMAC receiver', baseline: percentile(baselineAck, 50) },
      { name: 'WhatsApp webhook ACK p99', value: percentile(ackMs, 99), unit: 'ms', baselineName: 'bare HMAC receiver', baseline: percentile(baselineAck, 99), goal: '< 50 ms' },
      { name: `WhatsApp webhook → reply sent p95 (${CONTACTS}×${MESSAGES_PER_CONTACT}, TTFT ${FIRST_TOKEN_DELAY_MS} ms)`, value: percentile(replyMs, 95), unit: 'ms', baselineName: 'LLM time to first token', baseline: FIRST_TOKEN_DELAY_MS, goal: '< 2000 ms' },
      { name: `WhatsApp duplicate replies (of ${total} messages, ${Math.floor(total / REDELIVERY_EVERY)} re-delivered)`, value: duplicates, unit: 'msgs', goal: '0' },
      { name: 'WhatsApp lost messages', value: losses, unit: 'msgs', goal: '0' },
      { name: 'WhatsApp backend RSS growth over the run', value: rssAfter - rssBefore, unit: 'MB', baselineName: 'RSS before', baseline: rssBefore },
    ];
  } finally {
    await server.stop();
    await Promise.all([llm.close(), graph.close(), bare.close()]);
  }
}

/** Sends the whole load to `url`: each contact's messages in its order, contacts interleaved; returns each POST's ACK time. */
async function sendAll(url: string, onPosted: (token: string, at: number) => void): Promise<number[]> {
  const ackMs: number[] = [];
  const runId = Math.random().toString(36).slice(2, 8);
  const contact = async (index: number) => {
    await delay((index * CONTACT_INTERVAL_MS) / CONTACTS);
    for (let message = 0; message < MESSAGES_PER_CONTACT; message++) {
      const token = `c${index}m${message}`;
      const { payload } = textMessage(`Question ${token}`, { from: `1555${String(index).padStart(7, '0')}`, id: `wamid.bench.${runId}.${token}` });
      const raw = Buffer.from(JSON.stringify(payload));
      const post = async () => {
        const started = performance.now();
        onPosted(token, Date.now());
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signCloud(raw) }, body: raw });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
        ackMs.push(performance.now() - started);
      };
      await post();
      if ((index * MESSAGES_PER_CONTACT + message) % REDELIVERY_EVERY === 0) await post();
      await delay(CONTACT_INTERVAL_MS);
    }
  };
  await Promise.all(Array.from({ length: CONTACTS }, (_, index) => contact(index)));
  return ackMs;
}

function userText(request: { body?: unknown }): string {
  const messages = ((request.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? []).filter((message) => message.role === 'user');
  return String(messages[messages.length - 1]?.content ?? '');
}

function answeredTokens(requests: ReadonlyArray<{ body?: unknown }>): Set<string> {
  return new Set(requests.flatMap((request) => [...userText(request).matchAll(/c\d+m\d+/g)].map((match) => match[0])));
}

/**
 * A contact's k-th turn (its k-th LLM request) is answered by its k-th send: each message's reply
 * time runs from its POST to the send of the turn whose text carries its token.
 */
function matchReplies(requests: ReadonlyArray<{ body?: unknown }>, graph: Awaited<ReturnType<typeof startFakeGraphServer>>, postedAt: Map<string, number>) {
  const turnsByContact = new Map<string, string[][]>();
  let duplicates = 0;
  const seen = new Set<string>();
  for (const request of requests) {
    const tokens = [...userText(request).matchAll(/c(\d+)m\d+/g)];
    if (!tokens.length) continue;
    const contact = `1555${tokens[0]![1]!.padStart(7, '0')}`;
    const turns = turnsByContact.get(contact) ?? [];
    turns.push(tokens.map((match) => match[0]));
    turnsByContact.set(contact, turns);
    for (const [token] of tokens) {
      if (seen.has(token)) duplicates += 1;
      seen.add(token);
    }
  }
  const replyMs: number[] = [];
  let losses = 0;
  for (const [contact, turns] of turnsByContact) {
    const sends = graph.sends().filter((send) => send.body?.to === contact);
    // More sends than turns: a reply went out twice.
    duplicates += Math.max(0, sends.length - turns.length);
    turns.forEach((tokens, turn) => {
      const send = sends[turn];
      for (const token of tokens) {
        if (send) replyMs.push(send.at - postedAt.get(token)!);
        else losses += 1;
      }
    });
  }
  losses += [...postedAt.keys()].filter((token) => !seen.has(token)).length;
  return { replyMs, duplicates, losses };
}

async function webhookBase(server: ServerProcess): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const match = server.output().match(/Webhooks:\s+(http:\/\/\S+)/);
    if (match?.[1]) return match[1];
    await delay(50);
  }
  throw new Error(`The server printed no webhook URL:\n${server.output()}`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** The least a webhook receiver can do: read the body, check its HMAC in constant time, answer 200. */
async function startBareReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const expected = `sha256=${createHmac('sha256', APP_SECRET).update(Buffer.concat(chunks)).digest('hex')}`;
      response.writeHead(expected === request.headers['x-hub-signature-256'] ? 200 : 401, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
