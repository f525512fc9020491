import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HealthReport } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { healthQuery, queryKeys, useBackendEvent, useBackendQuery } from '../../server-state';

/** Every component with its state, detail and last error; each can be checked again now. */
export function HealthCard() {
  const connected = useIsConnected();
  const queryClient = useQueryClient();
  const health = useBackendQuery(healthQuery(controlClient)).data;
  const check = useMutation({
    mutationFn: (component: string | undefined) => controlClient.request('diagnostics.health.check', component ? { component } : {}),
    onSuccess: (report) => queryClient.setQueryData<HealthReport>(queryKeys.health, report),
    onError: (error) => reportError('Diagnostics', error),
  });
  // A background check found a component down (or back): reload the table, not on every activity change.
  useBackendEvent('diagnostics.status.changed', ({ unhealthy }) => {
    const shown = health ? Object.entries(health.components).filter(([, component]) => !component.ready).map(([name]) => name) : [];
    const now = unhealthy.map((entry) => entry.component);
    if (shown.length !== now.length || now.some((name) => !shown.includes(name))) void queryClient.invalidateQueries({ queryKey: queryKeys.health });
  });
  if (!health) return null;
  const checking = check.isPending ? (check.variables ?? 'all') : null;
  return (
    <section aria-labelledby="diag-health-title">
      <div className="section-header">
        <h2 id="diag-health-title">
          Components <span className={`badge badge-${health.status}`}>{health.status}</span>
        </h2>
        <button type="button" onClick={() => check.mutate(undefined)} disabled={!connected || check.isPending}>
          {checking === 'all' ? 'Checking…' : 'Check all now'}
        </button>
      </div>
      <table className="components" aria-label="Component health">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">State</th>
            <th scope="col">Detail</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(health.components).map(([name, component]) => (
            <tr key={name} data-component={name}>
              <td id={`health-${name}`}>{name}</td>
              <td>
                <span className={`badge badge-${component.ready ? 'ok' : 'degraded'}`}>{component.ready ? 'ready' : 'not ready'}</span>
              </td>
              <td>
                {component.detail}
                <div className="hint">
                  checked {new Date(component.checkedAt).toLocaleTimeString()}
                  {component.ms !== undefined ? ` in ${component.ms} ms` : ''}
                </div>
              </td>
              <td>{component.lastError ? `${new Date(component.lastError.at).toLocaleString()}: ${component.lastError.detail}` : '–'}</td>
              <td>
                {/* Described by the row's name: a cell named "Check store now" would match a search for the component. */}
                <button type="button" className="small" onClick={() => check.mutate(name)} disabled={!connected || check.isPending} aria-describedby={`health-${name}`}>
                  {checking === name ? 'Checking…' : 'Check now'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
