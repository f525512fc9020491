import { useEffect, useState } from 'react';
import { useIsConnected } from '../../connection';
import { ConversationListItem } from './ConversationListItem';
import { conversationToOpen, createConversation, selectConversation, setConversationSearch, useConversationList, useConversationsStore } from './conversations-store';
import { useTurnStore } from './turn-store';

const SEARCH_DEBOUNCE_MS = 250;

export function ConversationList() {
  const connected = useIsConnected();
  const search = useConversationsStore((state) => state.search);
  const selectedId = useConversationsStore((state) => state.selectedId);
  const searched = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const list = useConversationList(searched);
  const conversations = list.data ?? [];
  const busyId = useTurnStore((state) => state.turn?.conversationId ?? null);

  // The full list decides what is open: the remembered conversation, else the latest one.
  const fullList = searched ? undefined : list.data;
  useEffect(() => {
    if (!fullList || list.isPlaceholderData) return;
    const open = conversationToOpen(selectedId, fullList);
    if (open !== selectedId) selectConversation(open);
  }, [fullList, list.isPlaceholderData, selectedId]);

  return (
    <aside className="conversation-sidebar" aria-label="Conversations">
      <div className="sidebar-tools">
        <button type="button" className="primary" onClick={() => void createConversation()} disabled={!connected}>
          New
        </button>
        <label className="visually-hidden" htmlFor="conversation-search">
          Search conversations
        </label>
        <input id="conversation-search" type="search" placeholder="Search…" value={search} onChange={(event) => setConversationSearch(event.target.value)} />
      </div>
      {list.isPending && list.fetchStatus === 'fetching' && <p className="hint">Loading conversations…</p>}
      {list.isError && <p className="empty-state small">The conversations could not be listed: {list.error.message}</p>}
      {list.isSuccess && !list.isPlaceholderData && conversations.length === 0 && (
        <p className="empty-state small">{searched ? `Nothing matches "${searched}".` : 'No conversations yet: write a message to start one.'}</p>
      )}
      <ul className="conversation-list">
        {conversations.map((conversation) => (
          <ConversationListItem key={conversation.id} conversation={conversation} selected={conversation.id === selectedId} busy={conversation.id === busyId} />
        ))}
      </ul>
    </aside>
  );
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    // Clearing the search shows the full list at once; typing waits for a pause.
    const timer = setTimeout(() => setSettled(value), value ? delayMs : 0);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
