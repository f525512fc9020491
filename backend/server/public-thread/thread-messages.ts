/** What the public listener's thread and the main thread say to each other (both import this). */
import type { WebhookAnswer } from '../../platform/http';

/** A ready answer: main builds the bodies in the protocol's error shape, the thread only sends them. */
export interface CannedAnswer {
  status: number;
  body: string;
}

export interface ThreadEndpoint {
  path: string;
  maxBodyBytes: number;
  signature: { header: string; algorithm: 'sha256' | 'sha512'; prefix: string };
  answers: Record<WebhookAnswer, CannedAnswer>;
}

export interface PublicThreadData {
  host: string;
  port: number;
  /** The app store's SQLite file: the thread writes the spool with a connection of its own. */
  databaseFile: string;
  endpoints: ThreadEndpoint[];
  /** Signing keys known at start, by path. */
  keys: Array<[string, string | undefined]>;
  /** Where every other request goes: the main thread's listener of the public routes, on loopback. */
  forwardPort: number;
}

export type ToThread = { type: 'key'; path: string; key: string | undefined } | { type: 'close' };

export type FromThread =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  /** Deliveries were spooled and synced: the main thread consumes them. */
  | { type: 'spooled' }
  | { type: 'answered'; path: string; answer: WebhookAnswer; ms: number }
  /** The spool could not be written: the delivery was answered 503 and the provider retries it. */
  | { type: 'spool-failed'; message: string }
  | { type: 'closed' };
