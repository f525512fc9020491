import { useState } from 'react';
import { useIsConnected } from '../../connection';
import { changeSetting, getSetting, useSetting } from '../../settings';

type PromptKey = 'agent.console.systemPrompt' | 'agent.whatsapp.systemPrompt';

/** Edited locally and saved on request: a setting write per keystroke would flood every window. */
export function SystemPromptEditor({ settingKey, label }: { settingKey: PromptKey; label: string }) {
  const connected = useIsConnected();
  const saved = useSetting(settingKey);
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? saved;
  const dirty = draft !== null && draft !== saved;
  const id = `${settingKey}-input`;
  return (
    <div className="system-prompt">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={5} maxLength={20_000} value={value} placeholder="Empty: the built-in instructions only." onChange={(event) => setDraft(event.target.value)} />
      <div className="inline-row">
        <button
          type="button"
          disabled={!connected || !dirty}
          onClick={() => {
            // Kept as a draft if the backend refused it (changeSetting reported why).
            void changeSetting(settingKey, value).then(() => {
              if (getSetting(settingKey) === value) setDraft(null);
            });
          }}
        >
          Save prompt
        </button>
        <button type="button" disabled={!dirty} onClick={() => setDraft(null)}>
          Revert
        </button>
        <span className="hint">{value.length.toLocaleString()} / 20,000</span>
      </div>
    </div>
  );
}
