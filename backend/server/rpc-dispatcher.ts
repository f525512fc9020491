import type { z } from 'zod';
import { ParleyError, type HandlerContext, type MethodSpec, type WireError } from '#protocol';
import { raceAbort } from '../base';
import type { BackendMetrics, Logger } from '../platform/observability';

export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

/**
 * Validates a call against the protocol table, runs its handler and turns whatever happens into
 * a result or a WireError. Shared by the socket and HTTP transports.
 */
/** A handler as the dispatcher sees it: params already validated against the method's schema. */
export type AnyMethodHandler = (params: never, context: HandlerContext) => unknown;

export class RpcDispatcher {
  /**
   * `methods` is the protocol's table (tests may pass a larger one); every method in it must have
   * a handler, and every handler a method: a gap fails at start, not at the first call.
   */
  constructor(
    private readonly methods: Readonly<Record<string, MethodSpec>>,
    private readonly handlers: Readonly<Record<string, AnyMethodHandler>>,
    private readonly logger: Logger,
    private readonly metrics: BackendMetrics,
  ) {
    const unserved = Object.keys(methods).filter((method) => !Object.hasOwn(handlers, method));
    const unknown = Object.keys(handlers).filter((method) => !Object.hasOwn(methods, method));
    if (unserved.length > 0) throw new Error(`No handler for ${unserved.join(', ')}`);
    if (unknown.length > 0) throw new Error(`Handlers for methods the protocol does not define: ${unknown.join(', ')}`);
  }

  async dispatch(method: string, params: unknown, context: HandlerContext): Promise<RpcOutcome> {
    const started = performance.now();
    const outcome = await this.run(method, params, context);
    const label = this.isMethod(method) ? method : 'unknown';
    this.metrics.rpcDuration.observe(
      { method: label, outcome: outcome.ok ? 'ok' : outcome.error.code },
      (performance.now() - started) / 1000,
    );
    return outcome;
  }

  private isMethod(method: string): boolean {
    return Object.hasOwn(this.methods, method);
  }

  private async run(method: string, params: unknown, context: HandlerContext): Promise<RpcOutcome> {
    if (!this.isMethod(method)) {
      return failure(new ParleyError('unknown_method', `Unknown method "${method}"`, { details: { method } }));
    }
    const parsed = (this.methods[method]!.params as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      return failure(
        new ParleyError('invalid_params', `Invalid params for ${method}: ${summariseIssues(parsed.error.issues)}`, {
          details: parsed.error.issues,
        }),
      );
    }
    const handler = this.handlers[method]!;
    if (context.signal.aborted) return failure(new ParleyError('cancelled', 'Request cancelled'));
    try {
      // A cancelled request answers at once, even when its handler ignores the signal.
      const result = await raceAbort(Promise.resolve(handler(parsed.data as never, context)), context.signal, () => new ParleyError('cancelled', 'Request cancelled'));
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
