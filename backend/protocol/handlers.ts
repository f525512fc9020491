import type { AudioFrame } from './audio-frames';
import type { EventData, EventName } from './events';
import type { MethodName, ParsedParamsOf, ResultOf } from './methods';

/** What a backend handler gets besides its params. Type-only: the renderer never loads this. */
export interface HandlerContext {
  /** Aborted when the client cancels the request or disconnects. */
  signal: AbortSignal;
  requestId: string;
  /** Socket the request came on; undefined for HTTP. */
  connectionId: string | undefined;
}

export type MethodHandler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  context: HandlerContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

export type MethodHandlers<M extends MethodName = MethodName> = { [K in M]: MethodHandler<K> };

/** Pushes an event to every authenticated socket. */
export type BroadcastEvent = <E extends EventName>(event: E, data: EventData<E>) => void;

/** One socket's own traffic: what the voice loop needs to talk to the console that opened a stream. */
export interface ConnectionChannel {
  sendEvent<E extends EventName>(connectionId: string, event: E, data: EventData<E>): void;
  sendAudio(connectionId: string, frame: AudioFrame): void;
  onAudioFrame(listener: (connectionId: string, frame: AudioFrame) => void): void;
  onConnectionClosed(listener: (connectionId: string) => void): void;
}
