import { useHistory } from './databases-queries';

/** The latest queries on this connection, from every channel, with their outcome; click to reuse one. */
export function QueryHistoryList({ connection, onReuse }: { connection: string; onReuse(sql: string): void }) {
  const history = useHistory(connection);
  if (!history.data?.length) return null;
  return (
    <section className="card" aria-labelledby="db-history-title">
      <h2 id="db-history-title">History</h2>
      <table className="components">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">SQL</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {history.data.map((entry) => (
            <tr key={entry.id}>
              <td>{new Date(entry.at).toLocaleTimeString()}</td>
              <td>
                {entry.channel}
                {entry.channel === 'console' ? '' : ` · ${entry.who}`}
              </td>
              <td>
                {entry.kind !== 'read' && <span className={`badge ${entry.kind === 'write' ? 'badge-degraded' : ''}`}>{entry.kind}</span>}{' '}
                <button type="button" className="link-button" title="Put in the query box" onClick={() => onReuse(entry.sql)}>
                  <code>{entry.sql.length > 120 ? `${entry.sql.slice(0, 120)}…` : entry.sql}</code>
                </button>
              </td>
              <td className={entry.error ? 'warn-text' : undefined}>{entry.error ?? `${entry.rowCount ?? '?'} row${entry.rowCount === 1 ? '' : 's'}${entry.kind === 'write' ? ' changed' : ''}, ${entry.ms} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
