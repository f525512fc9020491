import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { ParleyError, httpStatusForErrorCode, type ErrorCode } from '#protocol';
import type { SpooledWebhook, WebhookAnswer } from '../../platform/http';
import type { Logger } from '../../platform/observability';
import type { RunningListener } from '../listen';
import type { SigningKeyRing } from './signing-key-ring';
import { SpoolDrain } from './spool-drain';
import { publicThreadEntry } from './thread-entry-url';
import type { CannedAnswer, FromThread, PublicThreadData, ThreadEndpoint, ToThread } from './thread-messages';

export interface PublicThreadOptions {
  host: string;
  port: number;
  databaseFile: string;
  knex: Knex;
  webhooks: readonly SpooledWebhook[];
  keys: SigningKeyRing;
  /** The main thread's listener of the other public routes, on loopback, that the thread forwards to. */
  forwardPort: number;
  logger: Logger;
}

export interface RunningPublicThread extends RunningListener {
  /** The thread died after it started: webhooks are not answered any more. */
  failure(): string | undefined;
}

/** How long a closing thread may take to finish its answers before it is terminated. */
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * Starts the public listener on its own thread (public-thread-entry.ts) and consumes its spool on
 * this one. Resolves once it listens; rejects when it cannot (the port is taken).
 */
export async function startPublicThread(options: PublicThreadOptions): Promise<RunningPublicThread> {
  const drain = new SpoolDrain(options.knex, options.webhooks, options.logger);
  const webhooks = new Map(options.webhooks.map((webhook) => [webhook.path, webhook]));
  const entry = publicThreadEntry();
  const data: PublicThreadData = {
    host: options.host,
    port: options.port,
    databaseFile: options.databaseFile,
    endpoints: options.webhooks.map(threadEndpoint),
    keys: options.keys.entries(),
    forwardPort: options.forwardPort,
  };
  const worker = new Worker(entry.url, { workerData: data, execArgv: entry.execArgv, name: 'parley-public-listener' });
  const send = (message: ToThread) => worker.postMessage(message);
  let failure: string | undefined;
  let closing = false;
  let exited = false;
  let closed: (() => void) | undefined;
  const listening = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'listening':
          return resolve(message.port);
        case 'failed':
          return reject(new Error(message.message));
        case 'spooled':
          return drain.wake();
        case 'answered':
          return webhooks.get(message.path)?.answered?.(message.answer, message.ms);
        case 'spool-failed':
          return options.logger.error({ reason: message.message }, 'a webhook delivery could not be spooled; it was answered 503 and the provider will deliver it again');
        case 'closed':
          return closed?.();
      }
    });
    worker.once('error', (error) => {
      failure = `the public listener's thread failed: ${error.message}`;
      options.logger.error({ err: error }, failure);
      reject(error);
    });
    worker.once('exit', (code) => {
      exited = true;
      if (!closing) failure ??= `the public listener's thread stopped (exit code ${code})`;
      closed?.();
      reject(new Error(`the public listener's thread exited with ${code} before it listened`));
    });
  });
  let port: number;
  try {
    port = await listening;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  options.keys.onChange((path, key) => send({ type: 'key', path, key }));
  // What an earlier run answered and did not consume.
  drain.wake();
  return {
    port,
    failure: () => failure,
    close: async () => {
      closing = true;
      options.keys.onChange(undefined);
      // A thread that already died has nothing left to finish.
      const finished = exited ? Promise.resolve() : new Promise<void>((resolve) => (closed = resolve));
      send({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      await finished;
      clearTimeout(timer);
      await worker.terminate();
      await drain.stop();
    },
  };
}

/** An endpoint as the thread needs it, with its answers written once here in the protocol's error shape. */
function threadEndpoint(webhook: SpooledWebhook): ThreadEndpoint {
  const error = (code: ErrorCode, message: string): CannedAnswer => ({ status: httpStatusForErrorCode[code], body: JSON.stringify({ error: new ParleyError(code, message).toWire() }) });
  const answers: Record<WebhookAnswer, CannedAnswer> = {
    accepted: { status: 200, body: JSON.stringify({ received: true }) },
    rejected_signature: error('unauthorized', webhook.refused),
    malformed: error('bad_request', 'Webhook body is not a JSON object'),
    unconfigured: error('unavailable', webhook.unconfigured),
    too_large: error('payload_too_large', `Body larger than ${webhook.maxBodyBytes} bytes`),
    not_stored: error('unavailable', 'The delivery could not be stored; deliver it again later'),
  };
  return { path: webhook.path, maxBodyBytes: webhook.maxBodyBytes, signature: webhook.signature, answers };
}
