import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { topics } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { useBackendEvent, useBackendQuery, useTopic } from '../../server-state';
import { BehaviourCard } from './BehaviourCard';
import { SetupCard } from './SetupCard';
import './whatsapp.css';
import { Simulator } from './Simulator';
import { Thread } from './Thread';
import { contactsQuery, statusQuery, whatsappKeys } from './whatsapp-queries';

/** The operator inbox: contacts and conversations live, delivery ticks, take over, the connection and the simulator. */
export function WhatsAppPanel() {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  useTopic(topics.whatsapp);
  useBackendEvent('whatsapp.changed', () => void queryClient.invalidateQueries({ queryKey: whatsappKeys.all }));
  const status = useBackendQuery(statusQuery(controlClient)).data;
  const contacts = useBackendQuery(contactsQuery(controlClient)).data ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = contacts.find((contact) => contact.id === selectedId);
  const open = (contactId: string) => {
    setSelectedId(contactId);
    void controlClient.request('whatsapp.contacts.markRead', { contactId }).catch(() => undefined);
  };

  return (
    <section className="panel whatsapp-panel" aria-labelledby="whatsapp-title">
      <header className="panel-header">
        <h1 id="whatsapp-title">WhatsApp</h1>
      </header>
      {!connected && <p>Connect to the backend to see the inbox.</p>}
      {status && <SetupCard status={status} />}
      <BehaviourCard />
      <Simulator onSent={open} />
      <div className="whatsapp-inbox">
        <ul className="whatsapp-contacts" aria-label="Contacts">
          {contacts.length === 0 && <li className="hint">No contacts yet. Try the simulator above: it goes through the same webhook, queue and sender.</li>}
          {contacts.map((contact) => (
            <li key={contact.id}>
              <button type="button" aria-current={contact.id === selectedId} onClick={() => open(contact.id)}>
                <strong>{contact.name || `+${contact.waId}`}</strong>
                {contact.unread > 0 && <span className="badge" aria-label={`${contact.unread} unread`}>{contact.unread}</span>}
                {contact.takenOver && <span className="badge">operator</span>}
                {contact.optedOut && <span className="badge badge-degraded">opted out</span>}
                {contact.windowClosed && <span className="badge badge-degraded">window closed</span>}
                <span className="hint">{contact.lastText}</span>
              </button>
            </li>
          ))}
        </ul>
        {selected ? <Thread contact={selected} /> : contacts.length > 0 && <p className="hint">Choose a contact to read the conversation.</p>}
      </div>
    </section>
  );
}
