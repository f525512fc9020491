import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import { SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '#protocol';
import { startServerProcess } from '../support/server-process';
import { percentile, type BenchRow } from './bench-table';

const REQUESTS = 1000;
const WARMUP = 100;

/**
 * Sequential system.ping round trips to the real backend process, against a bare `ws` echo server
 * in its own process that parses and re-serialises JSON: the cost of the transport alone.
 */
export async function benchSocketRoundTrip(): Promise<BenchRow[]> {
  const echo = await startEchoServerProcess();
  const baseline = await measureRoundTrips(`ws://127.0.0.1:${echo.port}`, []);
  echo.stop();

  const server = await startServerProcess({ env: { PARLEY_LOG_LEVEL: 'warn' } });
  try {
    const parley = await measureRoundTrips(`${server.url.replace('http', 'ws')}/ws`, [SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + server.token]);
    return (['p50', 'p99'] as const).map((label) => ({
      name: `socket request round trip ${label} (${REQUESTS} system.ping)`,
      value: parley[label],
      unit: 'ms',
      baselineName: 'ws JSON echo',
      baseline: baseline[label],
    }));
  } finally {
    await server.stop();
  }
}

async function measureRoundTrips(url: string, protocols: string[]): Promise<{ p50: number; p99: number }> {
  const socket = new WebSocket(url, protocols);
  const frames: string[] = [];
  let waiting: ((text: string) => void) | undefined;
  socket.on('message', (data) => {
    const text = data.toString();
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(text);
    } else frames.push(text);
  });
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  if (protocols.length) await nextFrame(); // system.hello
  const samples: number[] = [];
  for (let index = 0; index < WARMUP + REQUESTS; index++) {
    const started = performance.now();
    socket.send(JSON.stringify({ kind: 'request', id: String(index), method: 'system.ping', params: { echo: 'x' } }));
    const reply = JSON.parse(await nextFrame()) as { id: string };
    if (reply.id !== String(index)) throw new Error(`out of order reply ${reply.id} for ${index}`);
    if (index >= WARMUP) samples.push(performance.now() - started);
  }
  socket.close();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };

  function nextFrame(): Promise<string> {
    const queued = frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (waiting = resolve));
  }
}

async function startEchoServerProcess(): Promise<{ port: number; stop(): void }> {
  const source = `
    const { WebSocketServer } = require(${JSON.stringify(createRequire(import.meta.url).resolve('ws'))});
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => console.log('port=' + server.address().port));
    server.on('connection', (socket) => socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      socket.send(JSON.stringify({ kind: 'response', id: frame.id, ok: true, result: { echo: frame.params.echo, serverTime: Date.now() } }));
    }));`;
  const child = spawn(process.execPath, ['-e', source]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = chunk.toString().match(/port=(\d+)/);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`echo server exited ${code}`)));
  });
  return { port, stop: () => child.kill() };
}
