import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { methods, ParleyError, type HandlerContext, type MethodHandlers } from '#protocol';
import { BackendMetrics } from '../../../backend/platform/observability';
import { RpcDispatcher, type AnyMethodHandler, type RpcOutcome } from '../../../backend/server';

/** A dispatcher over the real protocol table with handlers the test writes; the rest refuse. */
function setup(overrides: Partial<MethodHandlers>) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const notWired = Object.fromEntries(
    Object.keys(methods).map((name) => [name, () => Promise.reject(new ParleyError('unavailable', `${name} is not wired here`))]),
  );
  const metrics = new BackendMetrics();
  const dispatcher = new RpcDispatcher(methods, { ...notWired, ...overrides } as Record<string, AnyMethodHandler>, logger, metrics);
  return { dispatcher, lines, metrics };
}

function context(signal: AbortSignal = new AbortController().signal, requestId = 'req-1'): HandlerContext {
  return { signal, requestId, connectionId: undefined };
}

function failed(outcome: RpcOutcome) {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('RpcDispatcher', () => {
  it('runs the handler with parsed params (defaults applied) and the context', async () => {
    let seen: { limit: number; context: HandlerContext } | undefined;
    const { dispatcher } = setup({
      'diagnostics.recentLogs': ({ limit }, handlerContext) => {
        seen = { limit, context: handlerContext };
        return { entries: [] };
      },
    });
    const ctx = context(undefined, 'abc');
    expect(await dispatcher.dispatch('diagnostics.recentLogs', undefined, ctx)).toEqual({ ok: true, result: { entries: [] } });
    expect(seen?.limit).toBe(200);
    expect(seen?.context).toBe(ctx);
    await dispatcher.dispatch('diagnostics.recentLogs', { limit: 5 }, ctx);
    expect(seen?.limit).toBe(5);
  });

  it('turns a plain Error into internal without leaking its message or stack, and logs it for the operator', async () => {
    const { dispatcher, lines } = setup({
      'system.ping': async () => {
        throw new Error('connect ECONNREFUSED /home/alice/.secret/db.sock');
      },
    });
    const error = failed(await dispatcher.dispatch('system.ping', {}, context(undefined, 'req-boom')));
    expect(error).toEqual({ code: 'internal', message: 'Internal error in system.ping', hint: 'See the Diagnostics panel log.' });
    const wire = JSON.stringify(error);
    expect(wire).not.toContain('ECONNREFUSED');
    expect(wire).not.toContain('.secret');
    expect(wire).not.toMatch(/\bat .*\.ts:\d+/);

    const logged = lines.find((line) => line.msg === 'handler failed');
    expect(logged).toMatchObject({ level: 50, method: 'system.ping', requestId: 'req-boom' });
    expect((logged?.err as { message: string; stack: string }).message).toContain('ECONNREFUSED');
    expect((logged?.err as { stack: string }).stack).toContain('rpc-dispatcher.test.ts');
  });

  it('also catches a synchronous throw and a thrown non-Error', async () => {
    const { dispatcher } = setup({
      'system.ping': () => {
        throw new TypeError('sync');
      },
      'system.info': () => {
        throw 'a string';
      },
    });
    expect(failed(await dispatcher.dispatch('system.ping', {}, context())).code).toBe('internal');
    expect(failed(await dispatcher.dispatch('system.info', {}, context())).code).toBe('internal');
  });

  it('passes a ParleyError through with its code, message, hint and details', async () => {
    const { dispatcher, lines } = setup({
      'secrets.delete': () => {
        throw new ParleyError('conflict', 'Secret is in use by provider "openai"', { hint: 'Remove the provider first.', details: { usedBy: ['openai'] } });
      },
    });
    const error = failed(await dispatcher.dispatch('secrets.delete', { name: 'openai.api-key' }, context()));
    expect(error).toEqual({
      code: 'conflict',
      message: 'Secret is in use by provider "openai"',
      hint: 'Remove the provider first.',
      details: { usedBy: ['openai'] },
    });
    expect(lines.some((line) => line.msg === 'handler failed')).toBe(false);
  });

  it('answers cancelled promptly when aborted, even if the handler never looks at the signal', async () => {
    let finish: (() => void) | undefined;
    const { dispatcher } = setup({
      'system.ping': () => new Promise((resolve) => (finish = () => resolve({ serverTime: 1 }))),
    });
    const controller = new AbortController();
    const pending = dispatcher.dispatch('system.ping', {}, context(controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    controller.abort();
    const error = failed(await pending);
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toEqual({ code: 'cancelled', message: 'Request cancelled' });
    finish?.();
  });

  it('answers cancelled for a signal already aborted', async () => {
    const { dispatcher } = setup({ 'system.ping': () => ({ serverTime: 1 }) });
    expect(failed(await dispatcher.dispatch('system.ping', {}, context(AbortSignal.abort()))).code).toBe('cancelled');
  });

  it('does not let a handler that fails after the cancel turn into an unhandled rejection', async () => {
    let fail: ((error: Error) => void) | undefined;
    const { dispatcher } = setup({
      'system.ping': () => new Promise((_resolve, reject) => (fail = reject)),
    });
    const controller = new AbortController();
    const pending = dispatcher.dispatch('system.ping', {}, context(controller.signal));
    controller.abort();
    expect(failed(await pending).code).toBe('cancelled');
    fail?.(new Error('late failure'));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('refuses unknown methods, inherited property names included, before any handler runs', async () => {
    const { dispatcher } = setup({});
    for (const name of ['nope', '__proto__', 'constructor', 'hasOwnProperty', 'toString', '']) {
      const error = failed(await dispatcher.dispatch(name, {}, context()));
      expect(error.code, name).toBe('unknown_method');
      expect(error.details, name).toEqual({ method: name });
    }
  });

  it('refuses invalid params with the path of each problem, at most three', async () => {
    let ran = false;
    const { dispatcher } = setup({
      'secrets.set': () => {
        ran = true;
        return { name: 'x', updatedAt: '' };
      },
    });
    const error = failed(await dispatcher.dispatch('secrets.set', { name: 5, value: '' }, context()));
    expect(error.code).toBe('invalid_params');
    expect(error.message).toMatch(/^Invalid params for secrets\.set: name: .*; value: /);
    expect(Array.isArray(error.details)).toBe(true);
    expect(failed(await dispatcher.dispatch('secrets.set', 'a string', context())).message).toMatch(/^Invalid params for secrets\.set: params: /);
    expect(ran).toBe(false);
  });

  it('times every call by method and outcome', async () => {
    const { dispatcher, metrics } = setup({ 'system.ping': () => ({ serverTime: 1 }) });
    await dispatcher.dispatch('system.ping', {}, context());
    await dispatcher.dispatch('system.ping', { echo: 1 }, context());
    await dispatcher.dispatch('no.such', {}, context());
    const text = await metrics.text();
    expect(text).toMatch(/parley_rpc_duration_seconds_count\{method="system\.ping",outcome="ok"\} 1/);
    expect(text).toMatch(/parley_rpc_duration_seconds_count\{method="system\.ping",outcome="invalid_params"\} 1/);
    expect(text).toMatch(/parley_rpc_duration_seconds_count\{method="unknown",outcome="unknown_method"\} 1/);
  });
});
