import { useMutation, useQueryClient } from '@tanstack/react-query';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { jobsQuery, queryKeys, useBackendQuery } from '../../server-state';

/** Background jobs per queue, and the dead letters: jobs that failed every attempt, with their error and a Retry. */
export function JobQueueCard() {
  const queryClient = useQueryClient();
  const state = useBackendQuery(jobsQuery(controlClient)).data;
  const retry = useMutation({
    mutationFn: (id: string) => controlClient.request('diagnostics.jobs.retry', { id }),
    onError: (error) => reportError('Diagnostics', error),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs }),
  });
  if (!state) return null;
  return (
    <>
      <h2>Background jobs</h2>
      {state.counts.length === 0 ? (
        <p className="hint">No background job has run yet.</p>
      ) : (
        <table className="components" aria-label="Job queues">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Waiting</th>
              <th scope="col">Running</th>
              <th scope="col">Done</th>
              <th scope="col">Dead</th>
            </tr>
          </thead>
          <tbody>
            {state.counts.map((queue) => (
              <tr key={queue.queue}>
                <td>{queue.queue}</td>
                <td>{queue.queued}</td>
                <td>{queue.running}</td>
                <td>{queue.done}</td>
                <td>{queue.dead > 0 ? <span className="badge badge-degraded">{queue.dead}</span> : 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.jobs.length > 0 && (
        <ul className="dead-letters" aria-label="Dead letters">
          {state.jobs.map((job) => (
            <li key={job.id}>
              <strong>{job.queue}</strong> failed {job.attempts} time(s), last at {new Date(job.updatedAt).toLocaleString()}: {job.lastError ?? 'no error recorded'}{' '}
              <button type="button" onClick={() => retry.mutate(job.id)} disabled={retry.isPending}>
                Retry
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
