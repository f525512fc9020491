import { useState, type FormEvent } from 'react';
import type { Provider, ProviderKind } from '#protocol';
import { useIsConnected } from '../../connection';
import { HeadersEditor } from './HeadersEditor';
import { ModelBrowser } from './ModelBrowser';
import { formFromPreset, formFromProvider, formToInput, type FormErrors, type ProviderForm } from './provider-form';
import { presetFor } from './provider-presets';
import { ProviderTest } from './ProviderTest';
import { useProviders } from '../../providers';
import { deleteProvider, saveProvider, selectProvider } from './providers-store';

type Props = { provider: Provider; preset?: undefined } | { provider?: undefined; preset: ProviderKind };

/** Edits one provider (or a new one from a preset); the API key is write-only. */
export function ProviderEditor({ provider, preset }: Props) {
  const connected = useIsConnected();
  const existingIds = (useProviders().data ?? []).map((p) => p.id).join('\n');
  const initial = provider ? formFromProvider(provider) : formFromPreset(presetFor(preset!));
  const [form, setForm] = useState<ProviderForm>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [saving, setSaving] = useState(false);
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const field = <K extends keyof ProviderForm>(key: K) => (value: ProviderForm[K]) => setForm((current) => ({ ...current, [key]: value }));

  /** Saves the form; resolves to the saved provider, or null when invalid or refused. */
  const save = async (): Promise<Provider | null> => {
    const checked = formToInput(form, existingIds ? existingIds.split('\n') : []);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return null;
    }
    setErrors({});
    setSaving(true);
    const saved = await saveProvider(checked.input);
    setSaving(false);
    if (saved) setForm(formFromProvider(saved));
    return saved;
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };
  const remove = () => {
    if (provider && window.confirm(`Delete the provider "${provider.name}" and its stored API key? Channels that use it will need another model.`)) {
      void deleteProvider(provider.id);
    }
  };
  const removeKey = () => {
    if (!provider || !window.confirm(`Remove the API key stored for "${provider.name}"?`)) return;
    const checked = formToInput({ ...formFromProvider(provider), removeKey: true }, []);
    if ('input' in checked) void saveProvider(checked.input);
  };
  // No choice falls back to the first provider (or the empty state).
  const cancelNew = () => selectProvider(null);
  const kindName = presetFor(form.kind).name;

  return (
    <div className="provider-editor">
      <form onSubmit={onSubmit} aria-labelledby="provider-editor-title" noValidate>
        <h2 id="provider-editor-title">{provider ? provider.name : `New ${kindName} provider`}</h2>
        <p className="hint">
          {kindName} (OpenAI-compatible){provider && <> · id <code>{provider.id}</code></>}
        </p>
        <div className="form-grid">
          <TextField id="provider-name" label="Name" value={form.name} onChange={field('name')} error={errors.name} />
          <TextField id="provider-url" label="Base URL" value={form.baseUrl} onChange={field('baseUrl')} error={errors.baseUrl} placeholder="https://host/v1" />
          <label htmlFor="provider-key">API key</label>
          <div>
            <input
              id="provider-key"
              type="password"
              autoComplete="off"
              value={form.apiKey}
              placeholder={provider?.hasApiKey ? 'key stored: leave empty to keep it' : presetFor(form.kind).needsKey ? 'required by this provider' : 'optional'}
              onChange={(event) => field('apiKey')(event.target.value)}
            />
            {provider?.hasApiKey && (
              <div className="key-state">
                <span className="badge badge-ok">key stored</span>
                <button type="button" className="small danger-text" onClick={removeKey} disabled={!connected}>
                  Remove key
                </button>
              </div>
            )}
            {errors.apiKey && <p className="field-error">{errors.apiKey}</p>}
          </div>
          <TextField id="provider-default-model" label="Default model" value={form.defaultModel} onChange={field('defaultModel')} error={errors.defaultModel} placeholder="suggested in model pickers and used by Test" />
          <TextField id="provider-timeout" label="Timeout (s)" value={form.timeoutSeconds} onChange={field('timeoutSeconds')} error={errors.timeoutSeconds} inputMode="decimal" />
          <TextField id="provider-retries" label="Retries" value={form.maxRetries} onChange={field('maxRetries')} error={errors.maxRetries} inputMode="numeric" />
        </div>
        <HeadersEditor rows={form.headers} onChange={field('headers')} error={errors.headers} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!connected || saving || (!dirty && !!provider)}>
            {saving ? 'Saving…' : provider ? 'Save' : 'Save provider'}
          </button>
          {provider ? (
            <>
              <button type="button" onClick={() => setForm(initial)} disabled={!dirty}>
                Revert
              </button>
              <button type="button" className="danger-text" onClick={remove} disabled={!connected}>
                Delete provider
              </button>
            </>
          ) : (
            <button type="button" onClick={cancelNew}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {provider && <ProviderTest provider={provider} dirty={dirty} saveFirst={save} />}
      {provider && <ModelBrowser provider={provider} />}
    </div>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  placeholder?: string;
  inputMode?: 'decimal' | 'numeric';
}

function TextField({ id, label, value, onChange, error, placeholder, inputMode }: TextFieldProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        <input
          id={id}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    </>
  );
}
