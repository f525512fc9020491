/**
 * whisper.cpp logs every model load and transcription to stderr unless a listener is installed.
 * While any in-process engine is loaded, its lines are kept here instead (the last few explain a
 * failed load better than the binding's "Failed to initialize whisper context"). The listener is
 * removed when the last engine unloads: it holds a thread-safe function that would keep the
 * process alive.
 */

const KEPT_LINES = 40;

export interface WhisperLogBinding {
  toggleNativeLog(enable: boolean): Promise<void>;
  addNativeLogListener(listener: (level: string, text: string) => void): { remove(): void };
}

export type WhisperLogSink = (level: string, text: string) => void;

let users = 0;
let subscription: { remove(): void } | undefined;
const recent: string[] = [];
const sinks = new Set<WhisperLogSink>();

export async function captureWhisperLogs(binding: WhisperLogBinding, sink?: WhisperLogSink): Promise<() => Promise<void>> {
  users++;
  if (sink) sinks.add(sink);
  if (!subscription) {
    subscription = binding.addNativeLogListener((level, text) => {
      recent.push(text.trimEnd());
      if (recent.length > KEPT_LINES) recent.shift();
      for (const each of sinks) each(level, text);
    });
    await binding.toggleNativeLog(true);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    users--;
    if (sink) sinks.delete(sink);
    if (users === 0 && subscription) {
      subscription.remove();
      subscription = undefined;
      await binding.toggleNativeLog(false);
    }
  };
}

/** The last lines whisper.cpp logged that mention a failure, for error details. */
export function recentWhisperErrors(): string[] {
  return recent.filter((line) => /error|fail|invalid|wrong|unknown/i.test(line)).slice(-5);
}
