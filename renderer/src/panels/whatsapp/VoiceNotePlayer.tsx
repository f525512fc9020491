import { useEffect, useState } from 'react';
import { voiceNoteUrl } from './voice-media';

/** A stored voice note, playable in place (fetched with the token, then played from a blob: URL). */
export function VoiceNotePlayer({ messageId }: { messageId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let created: string | null = null;
    voiceNoteUrl(messageId, controller.signal)
      .then((objectUrl) => {
        created = objectUrl;
        if (controller.signal.aborted) URL.revokeObjectURL(objectUrl);
        else setUrl(objectUrl);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setProblem(error instanceof Error ? error.message : String(error));
      });
    return () => {
      controller.abort();
      if (created) URL.revokeObjectURL(created);
    };
  }, [messageId]);
  if (problem) return <span className="hint">Voice note unavailable: {problem}</span>;
  if (!url) return <span className="hint">Loading the voice note…</span>;
  return <audio className="voice-note" controls preload="metadata" src={url} aria-label="Voice note" />;
}
