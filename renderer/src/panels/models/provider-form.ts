import { providerInputSchema, type Provider, type ProviderInput, type ProviderKind } from '#protocol';
import type { ProviderPreset } from './provider-presets';

export interface HeaderRow {
  name: string;
  value: string;
}

/** The provider editor's fields, as typed (numbers stay text until saved). */
export interface ProviderForm {
  /** Empty for a provider not saved yet: derived from the name on save. */
  id: string;
  kind: ProviderKind;
  name: string;
  baseUrl: string;
  defaultModel: string;
  timeoutSeconds: string;
  maxRetries: string;
  headers: HeaderRow[];
  /** Write-only: empty keeps the stored key. */
  apiKey: string;
  removeKey: boolean;
}

export function formFromProvider(provider: Provider): ProviderForm {
  return {
    id: provider.id,
    kind: provider.kind,
    name: provider.name,
    baseUrl: provider.baseUrl,
    defaultModel: provider.defaultModel,
    timeoutSeconds: String(provider.timeoutMs / 1000),
    maxRetries: String(provider.maxRetries),
    headers: Object.entries(provider.extraHeaders).map(([name, value]) => ({ name, value })),
    apiKey: '',
    removeKey: false,
  };
}

export function formFromPreset(preset: ProviderPreset): ProviderForm {
  return {
    id: '',
    kind: preset.kind,
    name: preset.kind === 'custom' ? '' : preset.name,
    baseUrl: preset.baseUrl,
    defaultModel: '',
    timeoutSeconds: '60',
    maxRetries: '1',
    headers: [],
    apiKey: '',
    removeKey: false,
  };
}

/** A lowercase id from the name ("LM Studio" → "lm-studio"), made unique among the existing ones. */
export function uniqueProviderId(name: string, existing: readonly string[], fallback = 'provider'): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32)
      .replace(/-+$/, '') || fallback;
  if (!existing.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!existing.includes(candidate)) return candidate;
  }
}

export type FormErrors = Partial<Record<keyof ProviderForm, string>>;

/** The input `providers.save` takes, or what is wrong with each field (checked with the protocol's own schema). */
export function formToInput(form: ProviderForm, existingIds: readonly string[]): { input: ProviderInput } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const headers: Record<string, string> = {};
  for (const row of form.headers) {
    const name = row.name.trim();
    if (!name && !row.value.trim()) continue;
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) errors.headers = `"${name || '(empty)'}" is not a valid header name`;
    else if (Object.hasOwn(headers, name)) errors.headers = `Header "${name}" appears twice`;
    else headers[name] = row.value;
  }
  const timeout = Number(form.timeoutSeconds);
  const retries = Number(form.maxRetries);
  const input: ProviderInput = {
    id: form.id || uniqueProviderId(form.name, existingIds, form.kind),
    kind: form.kind,
    name: form.name.trim(),
    baseUrl: form.baseUrl.trim().replace(/\/+$/, ''),
    defaultModel: form.defaultModel.trim(),
    timeoutMs: form.timeoutSeconds.trim() === '' ? Number.NaN : Math.round(timeout * 1000),
    maxRetries: form.maxRetries.trim() === '' ? Number.NaN : retries,
    extraHeaders: headers,
  };
  if (form.removeKey) input.apiKey = '';
  else if (form.apiKey.trim()) input.apiKey = form.apiKey.trim();

  const parsed = providerInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldFor(String(issue.path[0]));
      errors[field] ??= FRIENDLY_ERRORS[field] ?? issue.message;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { input };
}

const FRIENDLY_ERRORS: FormErrors = {
  name: 'Give the provider a name (up to 80 characters)',
  baseUrl: 'An http:// or https:// address, e.g. https://api.example.com/v1',
  timeoutSeconds: 'Between 1 and 600 seconds',
  maxRetries: 'A whole number from 0 to 5',
};

function fieldFor(path: string): keyof ProviderForm {
  if (path === 'timeoutMs') return 'timeoutSeconds';
  if (path === 'extraHeaders') return 'headers';
  if (path === 'id') return 'name';
  return path as keyof ProviderForm;
}
