import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { topics, type ModelRef, type ReplayRun } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { useProviderModels, useProviders } from '../../providers';
import { conversationListQuery, useBackendQuery, useTopic } from '../../server-state';
import { diagnosticsKeys } from './diagnostics-queries';

const SHOWN_CONVERSATIONS = 50;

/** Picks recorded conversations, the model and prompt to try on them, and starts the run. */
export function ReplayStarter({ onStarted }: { onStarted(run: ReplayRun): void }) {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  // The list follows new conversations and messages while the panel shows.
  useTopic(topics.conversations);
  const conversations = useBackendQuery(conversationListQuery(controlClient, search.trim())).data ?? [];
  const [picked, setPicked] = useState<string[]>([]);
  const providers = useProviders().data ?? [];
  const [providerId, setProviderId] = useState('');
  const [model, setModel] = useState('');
  const listed = useProviderModels(providerId || null, { enabled: Boolean(providerId) }).data ?? [];
  const [systemPrompt, setSystemPrompt] = useState('');

  const start = useMutation({
    mutationFn: () => {
      const ref: ModelRef | undefined = providerId && model.trim() ? { providerId, model: model.trim() } : undefined;
      return controlClient.request('diagnostics.replay', { conversationIds: picked, ...(ref ? { model: ref } : {}), ...(systemPrompt.trim() ? { systemPrompt } : {}) });
    },
    onSuccess: ({ run }) => {
      void queryClient.invalidateQueries({ queryKey: diagnosticsKeys.replayRuns });
      setPicked([]);
      onStarted(run);
    },
    onError: (error) => reportError('Replay', error),
  });
  const toggle = (id: string, on: boolean) => setPicked((current) => (on ? [...current, id] : current.filter((other) => other !== id)));
  const modelIncomplete = Boolean(providerId) && !model.trim();

  return (
    <form
      className="diag-replay-form card"
      aria-label="New replay"
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate();
      }}
    >
      <fieldset>
        <legend>Conversations ({picked.length} picked)</legend>
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search conversations" aria-label="Search conversations" />
        {conversations.length === 0 ? (
          <p className="hint">No recorded conversation{search ? ' matches' : ' yet'}.</p>
        ) : (
          <ul className="diag-conversations">
            {conversations.slice(0, SHOWN_CONVERSATIONS).map((conversation) => (
              <li key={conversation.id}>
                <label>
                  <input type="checkbox" checked={picked.includes(conversation.id)} onChange={(event) => toggle(conversation.id, event.target.checked)} /> {conversation.title}{' '}
                  <span className="hint">
                    {conversation.channel}, {conversation.messageCount} messages, {new Date(conversation.updatedAt).toLocaleString()}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <fieldset>
        <legend>Replay with</legend>
        <div className="inline-row">
          <label>
            Provider{' '}
            <select aria-label="Replay provider" value={providerId} onChange={(event) => setProviderId(event.target.value)}>
              <option value="">each conversation’s own model</option>
              {providers.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </select>
          </label>
          {providerId && (
            <label>
              Model <input aria-label="Replay model" list="diag-replay-models" value={model} onChange={(event) => setModel(event.target.value)} placeholder="model id" aria-invalid={modelIncomplete} />
              <datalist id="diag-replay-models">
                {listed.map((option) => (
                  <option key={option} value={option} />
                ))}
              </datalist>
            </label>
          )}
        </div>
        <label className="diag-prompt">
          System prompt (empty: each conversation’s own)
          <textarea aria-label="Replay system prompt" rows={3} value={systemPrompt} onChange={(event) => setSystemPrompt(event.target.value)} />
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={!connected || picked.length === 0 || modelIncomplete || start.isPending}>
        {start.isPending ? 'Starting…' : `Replay ${picked.length || ''} conversation${picked.length === 1 ? '' : 's'}`}
      </button>
      {modelIncomplete && <p className="field-error">Name the model to try on this provider.</p>}
    </form>
  );
}
