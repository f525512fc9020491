import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReplayResult, ReplayRun, ResultOf } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { useBackendEvent, useBackendQuery } from '../../server-state';
import { diagnosticsKeys, replayRunQuery, replayRunsQuery } from './diagnostics-queries';
import { describeStatus, ReplayRunView } from './ReplayRunView';
import { ReplayStarter } from './ReplayStarter';

type RunDetail = ResultOf<'diagnostics.replay.get'>;

/** Replay evaluation: try another model or prompt on recorded conversations, and compare. */
export function ReplayCard() {
  const queryClient = useQueryClient();
  const runs = useBackendQuery(replayRunsQuery(controlClient)).data ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = selectedId ?? runs[0]?.id ?? null;
  const detail = useBackendQuery({ ...replayRunQuery(controlClient, selected ?? ''), enabled: selected !== null }).data;
  const cancel = useMutation({
    mutationFn: (id: string) => controlClient.request('diagnostics.replay.cancel', { id }),
    onError: (error) => reportError('Replay', error),
  });

  // Progress arrives live: the run's line and, when it is the one shown, its new scored turn.
  useBackendEvent('diagnostics.replay.progress', ({ run, result }) => {
    queryClient.setQueryData<ReplayRun[]>(diagnosticsKeys.replayRuns, (list) => (list ? (list.some((other) => other.id === run.id) ? list.map((other) => (other.id === run.id ? run : other)) : [run, ...list]) : list));
    queryClient.setQueryData<RunDetail>(diagnosticsKeys.replayRun(run.id), (current) => (current ? { run, results: result ? withResult(current.results, result) : current.results } : current));
  });

  return (
    <section aria-labelledby="diag-replay-title">
      <h2 id="diag-replay-title">Replay evaluation</h2>
      <p className="hint">Replays the user turns of recorded conversations against another model or system prompt, without touching them, and scores each answer: tools called, grounding kept, latency.</p>
      <div className="diag-replay">
        <ReplayStarter onStarted={(run) => setSelectedId(run.id)} />
        <div>
          {runs.length === 0 ? (
            <p className="hint">No replay yet.</p>
          ) : (
            <ul className="diag-runs" aria-label="Replay runs">
              {runs.map((run) => (
                <li key={run.id} aria-current={run.id === selected ? 'true' : undefined}>
                  <button type="button" onClick={() => setSelectedId(run.id)}>
                    {new Date(run.createdAt).toLocaleString()} · {run.model ? `${run.model.providerId}/${run.model.model}` : 'own models'}
                    {run.systemPrompt ? ' · own prompt' : ''} · {describeStatus(run)}
                  </button>
                  {(run.status === 'queued' || run.status === 'running') && (
                    <button type="button" className="small" onClick={() => cancel.mutate(run.id)} disabled={cancel.isPending}>
                      Cancel
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {detail && <ReplayRunView run={detail.run} results={detail.results} />}
        </div>
      </div>
    </section>
  );
}

function withResult(results: ReplayResult[], result: ReplayResult): ReplayResult[] {
  const same = (other: ReplayResult) => other.conversationId === result.conversationId && other.turnIndex === result.turnIndex;
  return results.some(same) ? results.map((other) => (same(other) ? result : other)) : [...results, result];
}
