import { topics } from '#protocol';
import { useIsConnected } from '../../connection';
import { useTopic } from '../../server-state';
import { MicControl } from '../../voice';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { createConversation, useConversationsStore } from './conversations-store';
import { Thread } from './Thread';

/** Text conversations with the agent: the list, the open thread with tool cards and timings, the composer. */
export function ConversationPanel() {
  const connected = useIsConnected();
  const selectedId = useConversationsStore((state) => state.selectedId);
  // While shown: the list follows changes (other windows, WhatsApp, voice turns), and so does the open thread.
  useTopic(topics.conversations);
  useTopic(selectedId === null ? null : topics.conversation(selectedId));

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
