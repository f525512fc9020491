import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { WhatsAppContact, WhatsAppMessage } from '#protocol';
import { controlClient } from '../../connection';
import { useBackendQuery } from '../../server-state';
import { deliveryTicks, inboundNote } from './delivery-ticks';
import { RecordButton } from './RecordButton';
import { sendRecording } from './voice-media';
import { VoiceNotePlayer } from './VoiceNotePlayer';
import { threadQuery, whatsappKeys } from './whatsapp-queries';

/** One contact's conversation: messages with ticks, voice notes to play, take over / release, and the operator's reply box (typed or recorded). */
export function Thread({ contact }: { contact: WhatsAppContact }) {
  const queryClient = useQueryClient();
  const thread = useBackendQuery(threadQuery(controlClient, contact.id));
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.all });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const send = () =>
    act(async () => {
      await controlClient.request('whatsapp.reply', { contactId: contact.id, text: draft });
      setDraft('');
    });
  // The simulator contact is ours: its side of the chat can tap the buttons our replies carry.
  const simulator = contact.provider === 'simulator';
  const messages = thread.data?.messages ?? [];
  return (
    <section className="whatsapp-thread" aria-label={`Conversation with ${contact.name || contact.waId}`}>
      <header className="panel-header">
        <h2>
          {contact.name || contact.waId} <span className="hint">+{contact.waId}</span>
        </h2>
        <button type="button" onClick={() => void act(() => controlClient.request('whatsapp.contacts.takeOver', { contactId: contact.id, takenOver: !contact.takenOver }))}>
          {contact.takenOver ? 'Release to the agent' : 'Take over'}
        </button>
      </header>
      {contact.takenOver && <p className="hint">You answer this contact: the agent stays silent until you release it.</p>}
      {contact.optedOut && <p role="status">This contact opted out: nothing more is sent to them.</p>}
      {contact.windowClosed && <p role="status">Window closed: more than 24 hours since the contact wrote. Configure a template, or wait for them to write again.</p>}
      <ol className="whatsapp-messages" aria-label="Messages">
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} onTap={simulator ? (choice) => void act(() => controlClient.request('whatsapp.simulator.send', { choice })) : undefined} />
        ))}
      </ol>
      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) void send();
        }}
      >
        <textarea
          aria-label="Reply as the operator"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder={contact.takenOver ? 'Type your reply…' : 'Reply yourself (take over to keep the agent silent)…'}
          disabled={contact.optedOut}
        />
        <button type="submit" disabled={!draft.trim() || contact.optedOut}>
          Send
        </button>
        <RecordButton label="Record a reply" disabled={contact.optedOut} onRecorded={(wav) => act(() => sendRecording({ contactId: contact.id }, wav))} />
      </form>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

function MessageItem({ message, onTap }: { message: WhatsAppMessage; onTap: ((choice: { id: string; title: string }) => void) | undefined }) {
  const ticks = message.direction === 'out' ? deliveryTicks(message) : null;
  const note = message.direction === 'in' ? inboundNote(message) : message.note;
  const author = message.author === 'operator' ? 'You' : message.author === 'agent' ? 'Agent' : message.author === 'system' ? 'Parley' : message.author;
  return (
    <li className={`whatsapp-message whatsapp-${message.direction}`} data-status={message.status} data-kind={message.kind}>
      {message.direction === 'out' && <span className="hint">{author}: </span>}
      {message.media?.playable && <VoiceNotePlayer messageId={message.id} />}
      {message.media && !message.media.playable && message.kind !== 'audio' && <span className="hint">📎 {message.media.fileName ?? message.media.mimeType} </span>}
      <span className="text">{message.text}</span>
      {message.choices && (
        <span className="choices" role="group" aria-label="Reply buttons">
          {message.choices.map((choice) =>
            onTap ? (
              <button type="button" key={choice.id} onClick={() => onTap(choice)}>
                {choice.title}
              </button>
            ) : (
              <span className="choice" key={choice.id}>
                {choice.title}
              </span>
            ),
          )}
        </span>
      )}
      <span className="meta">
        <time>{new Date(message.timestamp).toLocaleTimeString()}</time>
        {ticks && (
          <span className={`ticks ticks-${ticks.tone}`} title={ticks.label} aria-label={ticks.label} data-testid="ticks">
            {ticks.ticks}
          </span>
        )}
      </span>
      {ticks?.tone === 'failed' && <p className="error">{ticks.label}</p>}
      {note && <p className="hint">{note}</p>}
    </li>
  );
}
