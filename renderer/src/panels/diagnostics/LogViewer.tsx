import { useDeferredValue, useState } from 'react';
import { logLevelSchema, type LogEntry, type LogLevel } from '#protocol';
import { controlClient } from '../../connection';
import { useBackendQuery } from '../../server-state';
import { logsQuery } from './diagnostics-queries';

const LIVE_MS = 2_000;

/** The structured log, filtered by the backend: level, component, text; the recent ring or the log files. */
export function LogViewer() {
  const [minLevel, setMinLevel] = useState<LogLevel>('info');
  const [component, setComponent] = useState('');
  const [search, setSearch] = useState('');
  const [source, setSource] = useState<'recent' | 'files'>('recent');
  const [live, setLive] = useState(true);
  // Typing does not send a request per key: the query follows the deferred text.
  const text = useDeferredValue(search.trim());
  const filter = { source, minLevel, limit: 300, ...(component ? { component } : {}), ...(text ? { search: text } : {}) };
  const logs = useBackendQuery({ ...logsQuery(controlClient, filter), refetchInterval: live && source === 'recent' ? LIVE_MS : false });
  const entries = logs.data?.entries ?? [];
  const components = [...new Set([...(logs.data?.components ?? []), ...(component ? [component] : [])])];

  return (
    <section aria-labelledby="diag-log-title">
      <h2 id="diag-log-title">Log</h2>
      <div className="inline-row diag-log-filters">
        <label>
          Level{' '}
          <select aria-label="Log level" value={minLevel} onChange={(event) => setMinLevel(event.target.value as LogLevel)}>
            {logLevelSchema.options.map((level) => (
              <option key={level} value={level}>
                {level} and above
              </option>
            ))}
          </select>
        </label>
        <label>
          Component{' '}
          <select aria-label="Log component" value={component} onChange={(event) => setComponent(event.target.value)}>
            <option value="">all</option>
            {components.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" aria-label="Search the log" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="message or field" />
        </label>
        <label>
          From{' '}
          <select aria-label="Log source" value={source} onChange={(event) => setSource(event.target.value as 'recent' | 'files')}>
            <option value="recent">recent (memory)</option>
            <option value="files">log files</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} disabled={source === 'files'} /> Live
        </label>
      </div>
      <p className="hint">
        {logs.isPending ? 'Loading…' : `${entries.length} line(s) shown of ${logs.data?.scanned ?? 0} read${entries.length === 300 ? ' (the newest 300)' : ''}.`}
      </p>
      <ol className="log" aria-label="Log entries">
        {[...entries].reverse().map((entry, index) => (
          <li key={`${entry.time}-${index}`} className={`log-${entry.level}`}>
            <time>{new Date(entry.time).toLocaleTimeString()}</time> <span className="level">{entry.level}</span> <span className="diag-component">{entry.component}</span> {entry.msg}{' '}
            <span className="fields">{summariseFields(entry)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The few fields that say what a line is about, e.g. "method=system.ping status=200". */
function summariseFields(entry: LogEntry): string {
  const { err, ...fields } = entry.fields;
  const error = err && typeof err === 'object' && 'message' in err ? [['err', String(err.message)] as const] : [];
  return [...error, ...Object.entries(fields)]
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 6)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
