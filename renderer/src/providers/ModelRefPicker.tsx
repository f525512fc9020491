import { useId, useState } from 'react';
import type { ModelRef } from '#protocol';
import { useIsConnected } from '../connection';
import { useProviderModels, useProviders } from './provider-queries';

interface Props {
  label: string;
  initial?: ModelRef | null;
  submitLabel: string;
  onSubmit(ref: ModelRef): void;
  disabled?: boolean;
}

/** Chooses a provider and one of its models (listed, or typed in). */
export function ModelRefPicker({ label, initial, submitLabel, onSubmit, disabled }: Props) {
  const connected = useIsConnected();
  const providers = useProviders().data ?? [];
  const [providerId, setProviderId] = useState(initial?.providerId ?? '');
  const [model, setModel] = useState(initial?.model ?? '');
  const chosenId = providers.some((p) => p.id === providerId) ? providerId : (providers[0]?.id ?? '');
  const listed = useProviderModels(chosenId).data;
  const id = useId();

  if (providers.length === 0) return <p className="hint">{label}: add a provider first.</p>;
  const provider = providers.find((p) => p.id === chosenId);
  const options = [...new Set([provider?.defaultModel ?? '', ...(listed ?? [])].filter(Boolean))];
  const trimmed = model.trim() || provider?.defaultModel || '';

  return (
    <form
      className="model-ref-picker"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        if (chosenId && trimmed) onSubmit({ providerId: chosenId, model: trimmed });
      }}
    >
      <label htmlFor={`${id}-provider`} className="visually-hidden">
        {label}: provider
      </label>
      <select id={`${id}-provider`} value={chosenId} onChange={(event) => setProviderId(event.target.value)}>
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-model`} className="visually-hidden">
        {label}: model
      </label>
      <input id={`${id}-model`} list={`${id}-models`} value={model} placeholder={provider?.defaultModel || 'model id'} onChange={(event) => setModel(event.target.value)} />
      <datalist id={`${id}-models`}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
      <button type="submit" disabled={disabled || !connected || !trimmed}>
        {submitLabel}
      </button>
    </form>
  );
}
