import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useIsConnected } from '../../connection';
import { useSetting, useSettingsLoaded } from '../../settings';
import { useConversationsStore } from './conversations-store';
import { sendMessage, stopTurn, useTurnStore } from './turn-store';
import { navigateTo } from '../../app/navigation';

/** Enter sends, Shift+Enter starts a new line, Escape stops the answer being written. */
export function Composer() {
  const [text, setText] = useState('');
  const connected = useIsConnected();
  const selectedId = useConversationsStore((state) => state.selectedId);
  const turn = useTurnStore((state) => state.turn);
  const consoleModel = useSetting('agent.console.model');
  const noModel = useSettingsLoaded() && consoleModel === null;
  const turnHere = turn !== null && (turn.conversationId === selectedId || selectedId === null);
  const canSend = connected && !turn && !noModel && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    const message = text;
    setText('');
    const delivered = await sendMessage(message.trim());
    // The backend never got it (e.g. no connection): give the text back rather than lose it.
    if (!delivered) setText((current) => current || message);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    } else if (event.key === 'Escape' && turnHere) {
      event.preventDefault();
      stopTurn();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Message">
      {noModel && (
        <p className="composer-notice" role="note">
          No chat model chosen: pick one for the Console in the{' '}
          <button type="button" className="link-button" onClick={() => navigateTo('models')}>
            Models panel
          </button>
          .
        </p>
      )}
      {turn && !turnHere && <p className="composer-notice">An answer is being written in another conversation; send when it is done.</p>}
      <div className="composer-row">
        <label htmlFor="composer-input" className="visually-hidden">
          Message to the agent
        </label>
        <textarea
          id="composer-input"
          rows={3}
          value={text}
          placeholder={connected ? 'Ask the agent… (Enter sends, Shift+Enter for a new line)' : 'Waiting for the backend…'}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {turnHere ? (
          <button type="button" className="danger" onClick={stopTurn} disabled={turn.stopping} title="Stop the answer (Esc)">
            {turn.stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
