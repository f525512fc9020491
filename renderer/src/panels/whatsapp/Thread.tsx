import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { WhatsAppContact } from '#protocol';
import { controlClient } from '../../connection';
import { useBackendQuery } from '../../server-state';
import { deliveryTicks, inboundNote } from './delivery-ticks';
import { threadQuery, whatsappKeys } from './whatsapp-queries';

/** One contact's conversation: messages with ticks, take over / release, and the operator's reply box. */
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
        {messages.map((message) => {
          const ticks = message.direction === 'out' ? deliveryTicks(message) : null;
          const note = message.direction === 'in' ? inboundNote(message) : null;
          return (
            <li key={message.id} className={`whatsapp-message whatsapp-${message.direction}`} data-status={message.status}>
              {message.direction === 'out' && <span className="hint">{message.author === 'operator' ? 'You' : message.author === 'agent' ? 'Agent' : message.author}: </span>}
              <span className="text">{message.text}</span>
              <span className="meta">
                <time>{new Date(message.timestamp).toLocaleTimeString()}</time>
                {ticks && (
                  <span className={`ticks ticks-${ticks.tone}`} title={ticks.label} aria-label={ticks.label}>
                    {ticks.ticks}
                  </span>
                )}
              </span>
              {ticks?.tone === 'failed' && <p className="error">{ticks.label}</p>}
              {note && <p className="hint">{note}</p>}
            </li>
          );
        })}
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
      </form>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
