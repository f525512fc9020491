import { useState } from 'react';
import { useIsConnected } from '../../connection';
import { changeSetting, useSetting } from '../../settings';

/** A typed voice name (eSpeak or remote), with suggestions; saved with Enter or the button. */
export function VoiceNameField({ id, suggestions }: { id: string; suggestions: readonly string[] }) {
  const connected = useIsConnected();
  const saved = useSetting('voice.tts.voice');
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? saved;
  const trimmed = value.trim();
  const dirty = draft !== null && trimmed.length > 0 && trimmed.length <= 200 && trimmed !== saved;
  return (
    <form
      className="inline-row"
      onSubmit={(event) => {
        event.preventDefault();
        if (dirty) void changeSetting('voice.tts.voice', trimmed).then(() => setDraft(null));
      }}
    >
      <input id={id} list={`${id}-suggestions`} value={value} onChange={(event) => setDraft(event.target.value)} />
      <datalist id={`${id}-suggestions`}>
        {suggestions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button type="submit" className="small" disabled={!connected || !dirty}>
        Save
      </button>
    </form>
  );
}
