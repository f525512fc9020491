import { useIsConnected } from '../../connection';
import { MicControl } from '../../voice';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { createConversation, followConversationChanges, useConversationsStore } from './conversations-store';
import { Thread } from './Thread';
import { followTurnEvents } from './turn-store';

// Subscribed for the app's lifetime, not the panel's: an answer keeps streaming while another panel is shown.
followTurnEvents();
followConversationChanges();

/** Text conversations with the agent: the list, the open thread with tool cards and timings, the composer. */
export function ConversationPanel() {
  const connected = useIsConnected();
  const selectedId = useConversationsStore((state) => state.selectedId);

  return (
    <section className="panel conversation-panel" aria-labelledby="conversation-title">
      <h1 id="conversation-title">Conversation</h1>
      {!connected && <p className="empty-state">Connecting to the backend… your conversations appear once it answers.</p>}
      <div className="conversation-layout">
        <ConversationList />
        <div className="conversation-main">
          <Thread />
          <MicControl conversationId={selectedId} openConversation={openNewConversation} />
          <Composer />
        </div>
      </div>
    </section>
  );
}

async function openNewConversation(): Promise<string | null> {
  return (await createConversation())?.id ?? null;
}
