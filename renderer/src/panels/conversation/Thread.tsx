import { useMemo } from 'react';
import { ConfirmationCards, usePendingConfirmations } from '../../confirmations';
import { useConversationList, useConversationMessages, useConversationsStore } from './conversations-store';
import { AnswerView } from './AnswerView';
import { visibleEntries } from './message-groups';
import { regenerateAnswer, useTurnStore, type RunningTurn } from './turn-store';
import { useStickToBottom } from './use-stick-to-bottom';

/** The open conversation: its stored messages, then the turn in progress. */
export function Thread() {
  const selectedId = useConversationsStore((state) => state.selectedId);
  const title = useConversationList('').data?.find((c) => c.id === selectedId)?.title;
  const thread = useConversationMessages(selectedId);
  const messages = thread.data;
  const turn = useTurnStore((state) => (state.turn && state.turn.conversationId === selectedId ? state.turn : null));
  const anyTurn = useTurnStore((state) => state.turn !== null);
  const entries = useMemo(() => visibleEntries(messages ?? [], turn), [messages, turn]);
  const lastAnswerIndex = entries.findLastIndex((entry) => entry.kind === 'answer');
  const waiting = usePendingConfirmations().filter((confirmation) => confirmation.conversationId === selectedId);
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>([entries, turn?.partial, turn?.tools, waiting.length]);

  return (
    <div className="thread" ref={ref} onScroll={onScroll}>
      {title && <h2 className="thread-title">{title}</h2>}
      {selectedId === null && <p className="empty-state">No conversation open. Write a message below to start one, or press New.</p>}
      {selectedId !== null && thread.isPending && thread.fetchStatus === 'fetching' && !turn && <p className="hint">Loading messages…</p>}
      {selectedId !== null && thread.isError && <p className="empty-state">The messages could not be loaded: {thread.error.message}</p>}
      {selectedId !== null && messages && entries.length === 0 && !turn && (
        <p className="empty-state">Nothing here yet. Ask the agent something below; its tool calls and timings show under each answer.</p>
      )}
      <ol className="thread-entries" aria-label="Messages">
        {entries.map((entry, index) =>
          entry.kind === 'user' ? (
            <li key={entry.id} className="user-message" data-testid="user-message">
              <p>{entry.text}</p>
            </li>
          ) : (
            <li key={entry.id}>
              <AnswerView
                text={entry.text}
                tools={entry.tools}
                meta={entry.meta}
                status={entry.status}
                onRegenerate={index === lastAnswerIndex && !anyTurn && selectedId ? () => void regenerateAnswer(selectedId) : undefined}
              />
            </li>
          ),
        )}
        {!turn && entries[entries.length - 1]?.kind === 'user' && (
          <li className="unanswered">
            <p className="answer-status">No answer to this message.</p>
            {selectedId && (
              <button type="button" className="small" onClick={() => void regenerateAnswer(selectedId)} disabled={anyTurn}>
                Ask again
              </button>
            )}
          </li>
        )}
        {turn && (
          <li key={turn.turnId}>
            <AnswerView
              text={turn.partial}
              tools={turn.tools}
              live={{ model: turn.model && `${turn.model.providerId}/${turn.model.model}`, fallbackFrom: turn.fallbackFrom, stopping: turn.stopping }}
            />
          </li>
        )}
      </ol>
      <ConfirmationCards confirmations={waiting} />
      <div className="visually-hidden" role="status" aria-live="polite">
        {turn ? liveStatus(turn, waiting.length > 0) : ''}
      </div>
    </div>
  );
}

function liveStatus(turn: RunningTurn, waitingForApproval: boolean): string {
  if (turn.stopping) return 'Stopping the answer';
  if (waitingForApproval) return 'Waiting for your approval';
  const running = turn.tools.find((tool) => !tool.result);
  if (running) return `Calling ${running.call.name}`;
  return turn.partial ? 'Answering' : 'Thinking';
}
