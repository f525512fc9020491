import { create } from 'zustand';
import type { Conversation } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { conversationListQuery, conversationMessagesQuery, queryClient, queryKeys, useBackendQuery, type Message } from '../../server-state';

/** Client state only: what is searched and which conversation is open. Lists and messages are queries. */
interface ConversationsState {
  search: string;
  selectedId: string | null;
}

const SELECTED_KEY = 'parley.conversation.selected';
const SOURCE = 'Conversation';

export const useConversationsStore = create<ConversationsState>(() => ({ search: '', selectedId: rememberedSelection() }));

export function useConversationList(search: string) {
  return useBackendQuery({ ...conversationListQuery(controlClient, search), placeholderData: (previous) => previous });
}

/** The open conversation's messages; null once it is gone. */
export function useConversationMessages(conversationId: string | null) {
  return useBackendQuery({ ...conversationMessagesQuery(controlClient, conversationId ?? ''), enabled: conversationId !== null });
}

export function setConversationSearch(search: string): void {
  useConversationsStore.setState({ search });
}

export function selectConversation(id: string | null): void {
  useConversationsStore.setState({ selectedId: id });
  rememberSelection(id);
}

/**
 * After a reload the remembered conversation comes back; with none remembered (or it is gone),
 * the latest one. Only against the full list: a search narrows what is shown, not what is open.
 */
export function conversationToOpen(selectedId: string | null, fullList: readonly Conversation[]): string | null {
  if (selectedId !== null && fullList.some((c) => c.id === selectedId)) return selectedId;
  return fullList[0]?.id ?? null;
}

/** Reloads the messages of a conversation (when it is shown); resolves once they are in. */
export function reloadMessages(conversationId: string): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: queryKeys.conversationMessages(conversationId) });
}

export async function createConversation(title?: string): Promise<Conversation | null> {
  try {
    const { conversation } = await controlClient.request('conversations.create', title ? { title } : {});
    queryClient.setQueryData<Conversation[]>(queryKeys.conversationList(''), (list = []) => [conversation, ...list.filter((c) => c.id !== conversation.id)]);
    queryClient.setQueryData<Message[] | null>(queryKeys.conversationMessages(conversation.id), []);
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    selectConversation(conversation.id);
    return conversation;
  } catch (error) {
    reportError(SOURCE, error);
    return null;
  }
}

export async function renameConversation(id: string, title: string): Promise<boolean> {
  try {
    const { conversation } = await controlClient.request('conversations.rename', { id, title });
    queryClient.setQueriesData<Conversation[]>({ queryKey: queryKeys.conversationLists }, (list) => list?.map((c) => (c.id === id ? conversation : c)));
    return true;
  } catch (error) {
    reportError(SOURCE, error);
    return false;
  }
}

export async function deleteConversation(id: string): Promise<void> {
  try {
    await controlClient.request('conversations.delete', { id });
    queryClient.setQueriesData<Conversation[]>({ queryKey: queryKeys.conversationLists }, (list) => list?.filter((c) => c.id !== id));
    queryClient.removeQueries({ queryKey: queryKeys.conversationMessages(id) });
    const { selectedId } = useConversationsStore.getState();
    if (selectedId === id) selectConversation(queryClient.getQueryData<Conversation[]>(queryKeys.conversationList(''))?.[0]?.id ?? null);
  } catch (error) {
    reportError(SOURCE, error);
  }
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
