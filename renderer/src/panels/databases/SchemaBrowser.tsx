import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { databaseKeys, useSchema } from './databases-queries';

interface Props {
  connection: string;
  /** A table was picked: the query box gets a first query on it. */
  onPickTable(qualifiedName: string): void;
}

export function SchemaBrowser({ connection, onPickTable }: Props) {
  const schema = useSchema(connection);
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  const refresh = async () => {
    try {
      queryClient.setQueryData(databaseKeys.schema(connection), await controlClient.request('databases.schema', { connection, refresh: true }));
    } catch (error) {
      reportError('Schema', error);
    }
  };

  const tables = (schema.data?.tables ?? []).filter((table) => table.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section className="card db-schema" aria-labelledby="db-schema-title">
      <div className="section-header">
        <h2 id="db-schema-title">Schema</h2>
        <button type="button" onClick={() => void refresh()} disabled={schema.isFetching}>
          Refresh
        </button>
      </div>
      {schema.isLoading && <p className="hint">Reading the schema…</p>}
      {schema.error && <p className="field-error">{schema.error.message}</p>}
      {schema.data && (
        <>
          <input aria-label="Filter tables" placeholder={`Filter ${schema.data.tables.length} tables`} value={filter} onChange={(event) => setFilter(event.target.value)} />
          <ul className="db-tables">
            {tables.map((table) => {
              const key = `${table.schema ?? ''}.${table.name}`;
              const qualified = table.schema && schema.data.dialect !== 'mysql' ? `${table.schema}.${table.name}` : table.name;
              return (
                <li key={key}>
                  <button type="button" className="link-button" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                    {qualified}
                  </button>{' '}
                  <span className="hint">
                    {table.kind}
                    {table.rowEstimate !== null ? ` · ~${table.rowEstimate.toLocaleString()} rows` : ''}
                  </span>{' '}
                  <button type="button" className="link-button" onClick={() => onPickTable(qualified)}>
                    query
                  </button>
                  {table.comment && <div className="hint">{table.comment}</div>}
                  {open === key && (
                    <ul className="db-columns">
                      {table.columns.map((column) => (
                        <li key={column.name}>
                          <code>{column.name}</code> <span className="hint">{column.type}</span>
                          {column.primaryKey && <span className="badge badge-ok"> PK</span>}
                          {!column.nullable && <span className="hint"> not null</span>}
                          {column.comment && <span className="hint"> — {column.comment}</span>}
                        </li>
                      ))}
                      {table.foreignKeys.map((key) => (
                        <li key={`${key.columns.join()}→${key.referencedTable}`} className="hint">
                          ({key.columns.join(', ')}) → {key.referencedTable}({key.referencedColumns.join(', ')})
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
