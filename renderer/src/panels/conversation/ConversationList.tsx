import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useIsConnected } from '../../connection';
import { ConversationListItem } from './ConversationListItem';
import { createConversation, loadConversations, setConversationSearch, useConversationsStore } from './conversations-store';
import { useTurnStore } from './turn-store';

const SEARCH_DEBOUNCE_MS = 250;

export function ConversationList() {
  const connected = useIsConnected();
  const { conversations, search, selectedId, listLoaded } = useConversationsStore(
    useShallow((state) => ({ conversations: state.conversations, search: state.search, selectedId: state.selectedId, listLoaded: state.listLoaded })),
  );
  const busyId = useTurnStore((state) => state.turn?.conversationId ?? null);

  useEffect(() => {
    if (!connected) return;
    // Also runs on (re)connect, so the open conversation is reloaded from the backend.
    const timer = setTimeout(() => void loadConversations({ withMessages: true }), search ? SEARCH_DEBOUNCE_MS : 0);
    return () => clearTimeout(timer);
  }, [search, connected]);

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
      {listLoaded && conversations.length === 0 && (
        <p className="empty-state small">{search.trim() ? `Nothing matches "${search.trim()}".` : 'No conversations yet: write a message to start one.'}</p>
      )}
      <ul className="conversation-list">
        {conversations.map((conversation) => (
          <ConversationListItem key={conversation.id} conversation={conversation} selected={conversation.id === selectedId} busy={conversation.id === busyId} />
        ))}
      </ul>
    </aside>
  );
}
