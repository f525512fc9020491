import type { AuditEntry } from '#protocol';

/** Every action call, newest first; Export saves what is shown as JSON. */
export function AuditLog({ entries }: { entries: AuditEntry[] }) {
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(entries, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `parley-actions-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section aria-labelledby="audit-title">
      <div className="section-header">
        <h2 id="audit-title">Audit</h2>
        <button type="button" onClick={exportJson} disabled={!entries.length}>
          Export JSON
        </button>
      </div>
      {!entries.length ? (
        <p className="hint">No action calls yet.</p>
      ) : (
        <table className="components">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Channel</th>
              <th scope="col">Tool</th>
              <th scope="col">Arguments</th>
              <th scope="col">Result</th>
              <th scope="col">ms</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.at).toLocaleString()}</td>
                <td>{entry.channel}</td>
                <td className="model-id">{entry.tool}</td>
                <td className="model-id">{JSON.stringify(entry.arguments).slice(0, 200)}</td>
                <td>
                  <span className={`badge ${entry.status === 'ok' ? 'badge-ok' : 'badge-degraded'}`}>
                    {entry.status}
                    {entry.httpStatus ? ` ${entry.httpStatus}` : ''}
                  </span>
                  {entry.error && <div className="hint">{entry.error.slice(0, 200)}</div>}
                </td>
                <td>{entry.durationMs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
