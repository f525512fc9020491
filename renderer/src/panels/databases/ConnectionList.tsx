import type { DatabaseConnection } from '#protocol';

interface Props {
  connections: DatabaseConnection[];
  selected: string | null;
  onSelect(name: string): void;
  onAdd(): void;
}

const DIALECT_LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL', mssql: 'SQL Server', oracle: 'Oracle' } as const;

export function ConnectionList({ connections, selected, onSelect, onAdd }: Props) {
  return (
    <nav className="provider-sidebar" aria-label="Database connections">
      <ul className="provider-list">
        {connections.map((connection) => (
          <li key={connection.name}>
            <button type="button" className="link-button" aria-current={connection.name === selected ? 'true' : undefined} onClick={() => onSelect(connection.name)}>
              <span className="provider-name">{connection.name}</span>
              <span className="provider-sub">
                {DIALECT_LABEL[connection.dialect]}
                {connection.source === 'env' ? ' · from environment' : connection.source === 'demo' ? ' · demo' : ''}
                {connection.allowWrites ? ' · writes allowed' : ''}
                {connection.open ? ' · open' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {connections.length === 0 && <p className="hint">No connection yet.</p>}
      <button type="button" className="add-provider" onClick={onAdd}>
        Add connection
      </button>
    </nav>
  );
}
