import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Conversation } from '#protocol';
import { deleteConversation, renameConversation, selectConversation } from './conversations-store';

export function ConversationListItem({ conversation, selected, busy }: { conversation: Conversation; selected: boolean; busy: boolean }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);

  const startRename = () => {
    setTitle(conversation.title);
    setEditing(true);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = title.trim();
    if (!next || next === conversation.title || (await renameConversation(conversation.id, next))) setEditing(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setEditing(false);
  };
  const remove = () => {
    if (window.confirm(`Delete "${conversation.title}" and all its messages? This cannot be undone.`)) void deleteConversation(conversation.id);
  };

  if (editing) {
    return (
      <li className="conversation-item editing">
        <form onSubmit={(event) => void submit(event)}>
          <label className="visually-hidden" htmlFor={`rename-${conversation.id}`}>
            New title
          </label>
          <input id={`rename-${conversation.id}`} value={title} maxLength={200} autoFocus onChange={(event) => setTitle(event.target.value)} onKeyDown={onKeyDown} />
          <button type="submit" className="small">
            Save
          </button>
          <button type="button" className="small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className={`conversation-item${selected ? ' selected' : ''}`}>
      <button type="button" className="conversation-open" aria-current={selected ? 'true' : undefined} onClick={() => selectConversation(conversation.id)}>
        <span className="conversation-title">{conversation.title || 'Untitled'}</span>
        <span className="conversation-sub">
          {conversation.channel !== 'console' && <span className="badge">{conversation.channel}</span>} {conversation.messageCount} messages ·{' '}
          {formatWhen(conversation.updatedAt)}
          {busy && ' · answering…'}
        </span>
      </button>
      <div className="conversation-actions">
        <button type="button" className="small" onClick={startRename} aria-label={`Rename ${conversation.title}`} title="Rename">
          Rename
        </button>
        <button type="button" className="small danger-text" onClick={remove} disabled={busy} aria-label={`Delete ${conversation.title}`} title="Delete">
          Delete
        </button>
      </div>
    </li>
  );
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString();
}
