import { create } from 'zustand';
import { ParleyError, topics, type AnswerMeta, type Message } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { createConversation, reloadMessages, useConversationsStore } from './conversations-store';
import { createDeltaBuffer } from './delta-buffer';
import type { ToolExchange } from './message-groups';

export interface RunningTurn {
  turnId: string;
  conversationId: string;
  kind: 'send' | 'regenerate';
  userText: string;
  /** Set once the backend stored the user's message. */
  userMessage?: Message;
  partial: string;
  model?: { providerId: string; model: string };
  /** Models that failed during this turn, newest last. */
  fallbackFrom: string[];
  tools: ToolExchange[];
  meta?: AnswerMeta;
  startedAt: number;
  stopping: boolean;
}

interface TurnState {
  turn: RunningTurn | null;
}

const TURN_TIMEOUT_MS = 10 * 60_000;
const SOURCE = 'Conversation';

export const useTurnStore = create<TurnState>(() => ({ turn: null }));

/** The running turn's Stop: one turn runs at a time. */
let controller: AbortController | null = null;

function updateTurn(turnId: string, change: (turn: RunningTurn) => Partial<RunningTurn>): void {
  useTurnStore.setState((state) => (state.turn?.turnId === turnId ? { turn: { ...state.turn, ...change(state.turn) } } : state));
}

const deltas = createDeltaBuffer((text) => {
  const turnId = useTurnStore.getState().turn?.turnId;
  if (turnId) updateTurn(turnId, (turn) => ({ partial: turn.partial + text }));
});

/**
 * Sends a message (creating a conversation when none is open). Resolves true once the backend has
 * the message, false when it never got it (the composer then gives the text back).
 */
export async function sendMessage(text: string): Promise<boolean> {
  if (useTurnStore.getState().turn) return false;
  // The backend titles a new conversation after its first message.
  const conversationId = useConversationsStore.getState().selectedId ?? (await createConversation())?.id;
  if (!conversationId) return false;
  return runTurn('send', conversationId, text, (turnId, signal) =>
    controlClient.request('agent.send', { conversationId, text, turnId }, { signal, timeoutMs: TURN_TIMEOUT_MS }),
  );
}

/** Drops the last answer and asks again. */
export async function regenerateAnswer(conversationId: string): Promise<void> {
  if (useTurnStore.getState().turn) return;
  await runTurn('regenerate', conversationId, '', (turnId, signal) =>
    controlClient.request('agent.regenerate', { conversationId, turnId }, { signal, timeoutMs: TURN_TIMEOUT_MS }),
  );
}

/** The Stop button: cancelling the request makes the backend stop the turn. */
export function stopTurn(): void {
  const turn = useTurnStore.getState().turn;
  if (!turn || !controller) return;
  updateTurn(turn.turnId, () => ({ stopping: true }));
  controller.abort();
}

async function runTurn(
  kind: RunningTurn['kind'],
  conversationId: string,
  userText: string,
  request: (turnId: string, signal: AbortSignal) => Promise<unknown>,
): Promise<boolean> {
  const turnId = crypto.randomUUID();
  const abort = new AbortController();
  controller = abort;
  deltas.discard();
  useTurnStore.setState({
    turn: { turnId, conversationId, kind, userText, partial: '', fallbackFrom: [], tools: [], startedAt: performance.now(), stopping: false },
  });
  // Held by the turn, not the panel: the answer keeps streaming while another panel is shown.
  // Taken before the request, so the subscription goes out ahead of it.
  const unfollow = followTurn(conversationId);
  let delivered: boolean;
  try {
    await request(turnId, abort.signal);
    delivered = true;
  } catch (error) {
    delivered = useTurnStore.getState().turn?.userMessage !== undefined;
    const stoppedByUser = abort.signal.aborted && error instanceof ParleyError && error.code === 'cancelled';
    if (!stoppedByUser) reportError(SOURCE, error);
  } finally {
    deltas.flush();
    controller = null;
    // What the backend stored (answer, cancelled partial or failure) replaces the live view.
    // Without a connection the reconnect reloads it instead (and one toast about the lost connection is enough).
    if (useConversationsStore.getState().selectedId === conversationId && controlClient.status.state === 'connected') await reloadMessages(conversationId);
    unfollow();
    useTurnStore.setState({ turn: null });
  }
  return delivered || kind === 'regenerate';
}

/** Follows one turn of ours through its conversation's events; turns of other windows arrive via conversations.changed. */
function followTurn(conversationId: string): () => void {
  const release = controlClient.subscribe(topics.conversation(conversationId));
  const offs = [
    controlClient.on('agent.turn.started', ({ turnId, userMessage }) => updateTurn(turnId, () => ({ userMessage }))),
    controlClient.on('agent.turn.model', ({ turnId, providerId, model, fallbackFrom }) => {
      if (useTurnStore.getState().turn?.turnId !== turnId) return;
      if (fallbackFrom) deltas.discard();
      updateTurn(turnId, (turn) => ({
        model: { providerId, model },
        ...(fallbackFrom ? { partial: '', fallbackFrom: [...turn.fallbackFrom, fallbackFrom] } : {}),
      }));
    }),
    controlClient.on('agent.turn.delta', ({ turnId, text }) => {
      if (useTurnStore.getState().turn?.turnId === turnId) deltas.push(text);
    }),
    controlClient.on('agent.turn.toolCall', ({ turnId, call }) => {
      if (useTurnStore.getState().turn?.turnId !== turnId) return;
      deltas.flush();
      // Text after the tool round starts a new paragraph, as it does once stored.
      updateTurn(turnId, (turn) => ({ tools: [...turn.tools, { call }], partial: turn.partial.trim() ? `${turn.partial.trimEnd()}\n\n` : '' }));
    }),
    controlClient.on('agent.turn.toolResult', ({ turnId, result }) =>
      updateTurn(turnId, (turn) => ({
        tools: turn.tools.some((tool) => tool.call.id === result.callId)
          ? turn.tools.map((tool) => (tool.call.id === result.callId ? { ...tool, result } : tool))
          : [...turn.tools, { call: { id: result.callId, name: result.name, arguments: '' }, result }],
      })),
    ),
    controlClient.on('agent.turn.finished', ({ turnId, message, meta }) => {
      if (useTurnStore.getState().turn?.turnId !== turnId) return;
      deltas.flush();
      updateTurn(turnId, (turn) => ({ partial: turn.partial.trim() ? turn.partial : message.content, meta }));
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    release();
  };
}
