import type { HeaderRow } from './provider-form';

/** Extra HTTP headers sent with every request to the provider, as name/value rows. */
export function HeadersEditor({ rows, onChange, error }: { rows: HeaderRow[]; onChange(rows: HeaderRow[]): void; error?: string }) {
  const update = (index: number, change: Partial<HeaderRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="headers-editor">
      <legend>Extra headers</legend>
      {rows.length === 0 && <p className="hint">None. Some gateways want one, e.g. OpenRouter's HTTP-Referer.</p>}
      {rows.map((row, index) => (
        <div className="header-row" key={index}>
          <input aria-label={`Header ${index + 1} name`} placeholder="Name" value={row.name} onChange={(event) => update(index, { name: event.target.value })} />
          <input aria-label={`Header ${index + 1} value`} placeholder="Value" value={row.value} onChange={(event) => update(index, { value: event.target.value })} />
          <button type="button" className="small" aria-label={`Remove header ${row.name || index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add header
      </button>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
