import type { AudioFrame, EventData, EventName } from '#protocol';
import type { Disposable } from '../../base';

/**
 * One socket's own traffic: what a capability needs to talk to the console that opened something
 * on it (a voice stream). Listeners can be many, each removed by its disposable.
 */
export interface ConnectionChannel {
  sendEvent<E extends EventName>(connectionId: string, event: E, data: EventData<E>): void;
  sendAudio(connectionId: string, frame: AudioFrame): void;
  onAudioFrame(listener: (connectionId: string, frame: AudioFrame) => void): Disposable;
  onConnectionClosed(listener: (connectionId: string) => void): Disposable;
}
