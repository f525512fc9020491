import { create } from 'zustand';
import type { Conversation, Message } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';

interface ConversationsState {
  conversations: Conversation[];
  search: string;
  listLoaded: boolean;
  selectedId: string | null;
  messages: Message[];
  /** The conversation `messages` belong to (null while none is loaded). */
  messagesFor: string | null;
  /** Conversation with a turn of ours running: its messages are reloaded when the turn ends, not before. */
  turnConversationId: string | null;
}

const SELECTED_KEY = 'parley.conversation.selected';
const SOURCE = 'Conversation';

export const useConversationsStore = create<ConversationsState>(() => ({
  conversations: [],
  search: '',
  listLoaded: false,
  selectedId: rememberedSelection(),
  messages: [],
  messagesFor: null,
  turnConversationId: null,
}));

/** Loads the list; with `withMessages` (a reconnect, opening the panel) the open conversation's messages too. */
export async function loadConversations({ withMessages = false } = {}): Promise<void> {
  const search = useConversationsStore.getState().search.trim();
  try {
    const { conversations } = await controlClient.request('conversations.list', search ? { search } : {});
    if (useConversationsStore.getState().search.trim() !== search) return;
    useConversationsStore.setState({ conversations, listLoaded: true });
    const { selectedId, messagesFor, turnConversationId } = useConversationsStore.getState();
    if (search) return;
    // After a reload the remembered conversation comes back; with none remembered, the latest one.
    if (selectedId === null || !conversations.some((c) => c.id === selectedId)) await selectConversation(conversations[0]?.id ?? null);
    else if ((withMessages || messagesFor !== selectedId) && selectedId !== turnConversationId) await loadMessages(selectedId);
  } catch (error) {
    reportError(SOURCE, error);
  }
}

export function setConversationSearch(search: string): void {
  useConversationsStore.setState({ search });
}

export async function selectConversation(id: string | null): Promise<void> {
  useConversationsStore.setState({ selectedId: id, ...(id === null ? { messages: [], messagesFor: null } : {}) });
  rememberSelection(id);
  if (id !== null) await loadMessages(id);
}

export async function loadMessages(id: string): Promise<void> {
  try {
    const { messages } = await controlClient.request('conversations.messages', { id });
    if (useConversationsStore.getState().selectedId === id) useConversationsStore.setState({ messages, messagesFor: id });
  } catch (error) {
    reportError(SOURCE, error);
  }
}

export async function createConversation(title?: string): Promise<Conversation | null> {
  try {
    const { conversation } = await controlClient.request('conversations.create', title ? { title } : {});
    useConversationsStore.setState((state) => ({
      conversations: [conversation, ...state.conversations.filter((c) => c.id !== conversation.id)],
      selectedId: conversation.id,
      messages: [],
      messagesFor: conversation.id,
    }));
    rememberSelection(conversation.id);
    return conversation;
  } catch (error) {
    reportError(SOURCE, error);
    return null;
  }
}

export async function renameConversation(id: string, title: string): Promise<boolean> {
  try {
    const { conversation } = await controlClient.request('conversations.rename', { id, title });
    useConversationsStore.setState((state) => ({ conversations: state.conversations.map((c) => (c.id === id ? conversation : c)) }));
    return true;
  } catch (error) {
    reportError(SOURCE, error);
    return false;
  }
}

export async function deleteConversation(id: string): Promise<void> {
  try {
    await controlClient.request('conversations.delete', { id });
    const { conversations, selectedId } = useConversationsStore.getState();
    const remaining = conversations.filter((c) => c.id !== id);
    useConversationsStore.setState({ conversations: remaining });
    if (selectedId === id) await selectConversation(remaining[0]?.id ?? null);
  } catch (error) {
    reportError(SOURCE, error);
  }
}

/** Another window, a WhatsApp contact or our own turn changed a conversation. */
export function followConversationChanges(): () => void {
  return controlClient.on('conversations.changed', ({ conversationId }) => {
    void loadConversations();
    const { selectedId, turnConversationId } = useConversationsStore.getState();
    if (conversationId === selectedId && conversationId !== turnConversationId) void loadMessages(conversationId);
  });
}

function rememberedSelection(): string | null {
  try {
    return localStorage.getItem(SELECTED_KEY);
  } catch {
    return null;
  }
}

function rememberSelection(id: string | null): void {
  try {
    if (id === null) localStorage.removeItem(SELECTED_KEY);
    else localStorage.setItem(SELECTED_KEY, id);
  } catch {
    // Storage can be unavailable (private mode); the console then opens the latest conversation.
  }
}
