import type { z } from 'zod';
import {
  isMethodName,
  methods,
  ParleyError,
  type HandlerContext,
  type MethodHandler,
  type MethodHandlers,
  type MethodName,
  type WireError,
} from '#protocol';
import type { BackendMetrics, Logger } from '../platform/observability';

export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

/**
 * Validates a call against the protocol table, runs its handler and turns whatever happens into
 * a result or a WireError. Shared by the socket and HTTP transports.
 */
export class RpcDispatcher {
  constructor(
    private readonly handlers: MethodHandlers,
    private readonly logger: Logger,
    private readonly metrics: BackendMetrics,
  ) {}

  async dispatch(method: string, params: unknown, context: HandlerContext): Promise<RpcOutcome> {
    const started = performance.now();
    const outcome = await this.run(method, params, context);
    const label = isMethodName(method) ? method : 'unknown';
    this.metrics.rpcDuration.observe(
      { method: label, outcome: outcome.ok ? 'ok' : outcome.error.code },
      (performance.now() - started) / 1000,
    );
    return outcome;
  }

  private async run(method: string, params: unknown, context: HandlerContext): Promise<RpcOutcome> {
    if (!isMethodName(method)) {
      return failure(new ParleyError('unknown_method', `Unknown method "${method}"`, { details: { method } }));
    }
    const parsed = (methods[method].params as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      return failure(
        new ParleyError('invalid_params', `Invalid params for ${method}: ${summariseIssues(parsed.error.issues)}`, {
          details: parsed.error.issues,
        }),
      );
    }
    const handler = this.handlers[method] as MethodHandler<MethodName>;
    if (context.signal.aborted) return failure(new ParleyError('cancelled', 'Request cancelled'));
    try {
      const result = await raceAbort(Promise.resolve(handler(parsed.data as never, context)), context.signal);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ParleyError) return failure(error);
      this.logger.error({ err: error, method, requestId: context.requestId }, 'handler failed');
      return failure(new ParleyError('internal', `Internal error in ${method}`, { hint: 'See the Diagnostics panel log.' }));
    }
  }
}

function failure(error: ParleyError): RpcOutcome {
  return { ok: false, error: error.toWire() };
}

function summariseIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'params'}: ${issue.message}`)
    .join('; ');
}

/** A cancelled request answers at once, even when its handler ignores the signal. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ParleyError('cancelled', 'Request cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ParleyError('cancelled', 'Request cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
