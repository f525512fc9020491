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
