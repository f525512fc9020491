/**
 * Watches the console's control socket in an e2e test without changing it: every frame passes
 * through to the real backend and back untouched, and the voice traffic is recorded on the way.
 */
import type { Page } from 'playwright-core';
import { AudioFrameKind, decodeAudioFrame } from '#protocol';

export interface VoiceSocketLog {
  /** voice.* requests the console sent, in order, each with the number of capture frames sent before it. */
  requests: Array<{ method: string; params: Record<string, unknown>; framesBefore: number }>;
  captureFrames: Array<{ streamId: number; samples: Int16Array }>;
  /** voice.* events the backend sent, with `Date.now()` on arrival. */
  events: Array<{ event: string; data: Record<string, unknown>; at: number }>;
  playbackFrames: number;
  /** The stream the last successful voice.start opened. */
  streamId: number | null;
}

export async function recordVoiceTraffic(page: Page): Promise<VoiceSocketLog> {
  const log: VoiceSocketLog = { requests: [], captureFrames: [], events: [], playbackFrames: 0, streamId: null };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    const voiceRequests = new Map<string, string>();
    ws.onMessage((message) => {
      if (typeof message !== 'string') {
        const frame = decodeAudioFrame(new Uint8Array(message));
        if (frame?.kind === AudioFrameKind.capturePcm) {
          const payload = frame.payload;
          log.captureFrames.push({ streamId: frame.streamId, samples: new Int16Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength)) });
        }
      } else {
        const frame = JSON.parse(message) as { kind: string; id: string; method?: string; params?: Record<string, unknown> };
        if (frame.kind === 'request' && frame.method?.startsWith('voice.')) {
          voiceRequests.set(frame.id, frame.method);
          log.requests.push({ method: frame.method, params: frame.params ?? {}, framesBefore: log.captureFrames.length });
        }
      }
      server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message !== 'string') {
        if (decodeAudioFrame(new Uint8Array(message))?.kind === AudioFrameKind.playbackPcm) log.playbackFrames++;
      } else {
        const frame = JSON.parse(message) as { kind: string; id?: string; ok?: boolean; result?: { streamId?: number }; event?: string; data?: Record<string, unknown> };
        if (frame.kind === 'response' && frame.ok && frame.id && voiceRequests.get(frame.id) === 'voice.start') log.streamId = frame.result?.streamId ?? null;
        if (frame.kind === 'event' && frame.event?.startsWith('voice.')) log.events.push({ event: frame.event, data: frame.data ?? {}, at: Date.now() });
      }
      ws.send(message);
    });
  });
  return log;
}

/** The recorded events of that name (and stream, if given), in order. */
export function loggedEvents(log: VoiceSocketLog, event: string, streamId?: number | null): Array<Record<string, unknown>> {
  return log.events.filter((entry) => entry.event === event && (streamId == null || entry.data.streamId === streamId)).map((entry) => entry.data);
}
