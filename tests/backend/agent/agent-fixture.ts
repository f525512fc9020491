import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { topics, type EventData, type EventName, type Message, type ModelRef, type ServerFrame } from '#protocol';
import { startTestBackend, type ParleySocketClient, type TestBackend } from '../../support/backend-harness';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';

export interface AgentFixtureOptions {
  models?: string[];
  /** The key the scripted server demands (and, unless `providerApiKey` says otherwise, the one saved on the provider). */
  apiKey?: string;
  /** The key saved on the provider, when it should differ from the server's. */
  providerApiKey?: string;
  /** The provider's retries inside the SDK (default 0: tests see every failure at once). */
  maxRetries?: number;
  timeoutMs?: number;
  /** Written to `agent.fallbacks`. */
  fallbacks?: ModelRef[];
  /** A data dir the caller owns (kept on close), to start a second backend on it later. */
  dataDir?: string;
}

export interface AgentFixture {
  backend: TestBackend;
  llm: ScriptedOpenAiServer;
  conversationId: string;
  /** `agent.send` over HTTP on the fixture's conversation. */
  send(text: string, turnId?: string): Promise<Message>;
  /** A control socket subscribed to the fixture's conversation and the conversation list, as the console's panel is. */
  openSocket(): Promise<ParleySocketClient>;
  /** The conversation's stored messages, as `conversations.messages` returns them. */
  messages(conversationId?: string): Promise<Message[]>;
  close(): Promise<void>;
}

let turnCounter = 0;

/** The real backend with one custom provider ("scripted") pointing at a scripted OpenAI-compatible server, chosen for the console. */
export async function startAgentFixture(options: AgentFixtureOptions = {}): Promise<AgentFixture> {
  const llm = await startScriptedOpenAiServer({ models: options.models ?? ['model-a', 'model-b'], apiKey: options.apiKey, whenEmpty: 'error' });
  const backend = await startTestBackend(options.dataDir ? { dataDir: options.dataDir } : {});
  const providerApiKey = options.providerApiKey ?? options.apiKey;
  await backend.call('providers.save', {
    id: 'scripted',
    kind: 'custom',
    name: 'Scripted',
    baseUrl: llm.baseUrl,
    ...(providerApiKey !== undefined ? { apiKey: providerApiKey } : {}),
    maxRetries: options.maxRetries ?? 0,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  await backend.call('settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'model-a' } });
  if (options.fallbacks) await backend.call('settings.set', { key: 'agent.fallbacks', value: options.fallbacks });
  const { conversation } = await backend.call('conversations.create', {});
  return {
    backend,
    llm,
    conversationId: conversation.id,
    send: async (text, turnId = `turn-${++turnCounter}`) =>
      (await backend.call('agent.send', { conversationId: conversation.id, text, turnId })).message,
    openSocket: async () => {
      const socket = await backend.openSocket();
      await socket.call('events.subscribe', { topics: [topics.conversation(conversation.id), topics.conversations] });
      return socket;
    },
    messages: async (conversationId = conversation.id) => (await backend.call('conversations.messages', { id: conversationId })).messages,
    close: async () => {
      await backend.close();
      await llm.close();
    },
  };
}

/** Every event of that name the socket received so far (optionally of one turn), in order. */
export function eventsOf<E extends EventName>(socket: ParleySocketClient, event: E, turnId?: string): Array<EventData<E>> {
  return socket.frames
    .filter((frame): frame is Extract<ServerFrame, { kind: 'event' }> => frame.kind === 'event' && frame.event === event)
    .map((frame) => frame.data as EventData<E>)
    .filter((data) => turnId === undefined || (data as { turnId?: string }).turnId === turnId);
}

/** The names of the agent.turn.* events of one turn, in arrival order (consecutive deltas collapsed to one). */
export function turnEventNames(socket: ParleySocketClient, turnId: string): string[] {
  const names: string[] = [];
  for (const frame of socket.frames) {
    if (frame.kind !== 'event' || !frame.event.startsWith('agent.turn.')) continue;
    if ((frame.data as { turnId?: string }).turnId !== turnId) continue;
    if (frame.event === 'agent.turn.delta' && names[names.length - 1] === 'agent.turn.delta') continue;
    names.push(frame.event);
  }
  return names;
}

/** The text of the chat messages a recorded request sent, as [role, content] pairs. */
export function sentMessages(request: { body?: { messages?: unknown } | undefined } | undefined): Array<{ role: string; content: string }> {
  const messages = (request?.body?.messages ?? []) as Array<{ role: string; content?: unknown }>;
  return messages.map((message) => ({ role: message.role, content: typeof message.content === 'string' ? message.content : '' }));
}

/** A loopback port nothing listens on (it was bound, then released): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Records every unhandled promise rejection while installed; `stop()` removes the listener.
 * A provider failure must end as a diagnosis or a wire error, never as a stray rejection.
 */
export function recordUnhandledRejections(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', listener);
  return { rejections, stop: () => process.off('unhandledRejection', listener) };
}
