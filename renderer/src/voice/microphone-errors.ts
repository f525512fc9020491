import { ParleyError } from '#protocol';

export interface MicrophoneErrorContext {
  /** The desktop app (Electron) rather than a browser tab. */
  desktop: boolean;
  /** Browsers offer the microphone only to secure pages (https:, localhost). */
  secureContext: boolean;
}

/** Why the microphone could not be opened, and what the user can do about it. */
export function describeMicrophoneError(error: unknown, context: MicrophoneErrorContext): ParleyError {
  if (error instanceof ParleyError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  if (!context.secureContext) {
    return new ParleyError('unavailable', 'The browser offers the microphone only to secure pages', {
      hint: 'Open the console over https://, or on this machine through http://127.0.0.1 or an SSH tunnel to it.',
      cause: error,
    });
  }
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new ParleyError('unavailable', 'Microphone access was denied', {
        hint: context.desktop
          ? 'Allow Parley to use the microphone in your system settings (macOS: System Settings → Privacy & Security → Microphone; Windows: Settings → Privacy & security → Microphone), then press Start again.'
          : "Allow the microphone for this page: click the icon at the left of the address bar, set Microphone to Allow, then press Start again.",
        cause: error,
      });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new ParleyError('unavailable', 'No microphone was found', {
        hint: 'Connect a microphone, or choose another input in the Voice panel.',
        cause: error,
      });
    case 'NotReadableError':
    case 'AbortError':
      return new ParleyError('unavailable', `The microphone could not be opened${detail}`, {
        hint: 'Another application may be using it, or it was unplugged: close that application or choose another input in the Voice panel.',
        cause: error,
      });
    default:
      return new ParleyError('internal', `The microphone could not be opened${detail}`, { cause: error });
  }
}
