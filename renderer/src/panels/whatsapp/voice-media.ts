import { encodeWav } from '#audio';
import { CAPTURE_SAMPLE_RATE, ParleyError, whatsappMediaPath, whatsappVoicePath } from '#protocol';
import { backendEndpoint } from '../../connection';
import { chosenMicrophoneId, openChosenMicrophone, type MicrophoneCapture } from '../../voice';

/** A message's stored voice note as a blob: URL for an <audio> element (the route needs the token, an <audio src> cannot send it). */
export async function voiceNoteUrl(messageId: string, signal: AbortSignal): Promise<string> {
  const response = await authorizedFetch(whatsappMediaPath(messageId), { signal });
  return URL.createObjectURL(await response.blob());
}

/** POSTs a recording (WAV) as the simulator contact's voice note or as the operator's voice reply. */
export async function sendRecording(to: { simulator: true } | { contactId: string }, wav: Uint8Array): Promise<void> {
  await authorizedFetch(whatsappVoicePath(to), { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
}

async function authorizedFetch(path: string, init: RequestInit): Promise<Response> {
  const endpoint = await backendEndpoint();
  if (!endpoint) throw new ParleyError('unauthorized', 'Not connected to the backend');
  const response = await fetch(new URL(path, endpoint.url), { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${endpoint.token}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; hint?: string } } | null;
    throw new ParleyError(response.status === 404 ? 'not_found' : response.status === 403 ? 'forbidden' : 'unavailable', body?.error?.message ?? `HTTP ${response.status}`, { hint: body?.error?.hint });
  }
  return response;
}

/** A recording from the chosen microphone: 16 kHz mono PCM16 chunks until stopped, then one WAV. */
export class VoiceRecording {
  private constructor(
    private readonly capture: MicrophoneCapture,
    private readonly chunks: Int16Array[],
  ) {}

  static async start(onEnded: () => void): Promise<VoiceRecording> {
    const chunks: Int16Array[] = [];
    const capture = await openChosenMicrophone(chosenMicrophoneId(), { onChunk: (pcm) => void chunks.push(pcm), onEnded });
    return new VoiceRecording(capture, chunks);
  }

  get seconds(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0) / CAPTURE_SAMPLE_RATE;
  }

  /** Stops the microphone and answers what it heard as a WAV (empty when nothing was heard). */
  async stop(): Promise<Uint8Array | undefined> {
    await this.capture.flush();
    this.capture.close();
    const length = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (!length) return undefined;
    const pcm = new Int16Array(length);
    let offset = 0;
    for (const chunk of this.chunks) {
      pcm.set(chunk, offset);
      offset += chunk.length;
    }
    return encodeWav({ pcm, sampleRate: CAPTURE_SAMPLE_RATE });
  }

  cancel(): void {
    this.capture.close();
  }
}
