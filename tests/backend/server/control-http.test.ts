import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, healthReportSchema, methods, type MethodName } from '#protocol';
import { CONSOLE_CSP } from '../../../backend/server';
import { httpError, RpcHttpError, startTestBackend, type TestBackend } from '../../support/backend-harness';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http sends the path exactly as given (fetch would normalise `..` away before it leaves). */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; chunks?: Array<string | Buffer> },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end();
  });
}

function post(backend: TestBackend, method: string, body: string, token?: string | null): Promise<Response> {
  return backend.fetch(`/api/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, token });
}

/** A params object of the wrong type for every field a method declares (a nested object fits no string, number or enum). */
function wrongTypedParams(method: MethodName): { body: unknown; paths: string[] } {
  const shape = (methods[method].params as unknown as { shape?: Record<string, { def?: { type?: string } }> }).shape ?? {};
  const accepting = (type: string | undefined) => type === 'unknown' || type === 'any';
  const checked = Object.keys(shape).filter((key) => !accepting(shape[key]?.def?.type));
  if (checked.length === 0) return { body: ['not', 'an', 'object'], paths: ['params'] };
  // Fields that take anything get null, so every issue comes from a wrong type, not a missing field.
  const body = Object.fromEntries(Object.keys(shape).map((key) => [key, checked.includes(key) ? { wrong: true } : null]));
  return { body, paths: checked };
}

describe('control API over HTTP', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend({ maxJsonBytes: 2048 });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('answers /healthz without a token, with status and components', async () => {
    const response = await backend.fetch('/healthz', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const report = healthReportSchema.parse(await response.json());
    expect(report.status).toBe('ok');
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.components.store).toMatchObject({
      ready: true,
      detail: `SQLite, ${backend.backend.store.appliedMigrations.length} migrations applied`,
    });
    expect(backend.backend.store.appliedMigrations[0]).toBe('0001_settings_and_secrets');
    expect(report.components['control-api']?.ready).toBe(true);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('guards /metrics with the token and serves Prometheus text with it', async () => {
    const refused = await backend.fetch('/metrics', { token: null });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await httpError(refused)).code).toBe('unauthorized');

    await backend.call('system.ping', { echo: 'count me' });
    const response = await backend.fetch('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE parley_http_requests_total counter');
    expect(text).toContain('# TYPE parley_rpc_duration_seconds histogram');
    expect(text).toMatch(/parley_rpc_duration_seconds_count\{method="system\.ping",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/parley_http_requests_total\{route="\/metrics",status="401"\} [1-9]/);
    expect(text).toContain('parley_socket_connections');
    expect(text).toContain('parley_process_');
  });

  it('answers 401 with www-authenticate and a JSON error for a missing, wrong or malformed token', async () => {
    const attempts: Array<RequestInit & { token?: string | null }> = [
      { token: null },
      { token: `${backend.token}x` },
      { token: backend.token.slice(0, -1) },
      { token: null, headers: { authorization: `Basic ${Buffer.from(`user:${backend.token}`).toString('base64')}` } },
      { token: null, headers: { authorization: backend.token } },
    ];
    for (const attempt of attempts) {
      const response = await backend.fetch('/api/rpc/system.info', { method: 'POST', body: '{}', ...attempt });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const error = await httpError(response);
      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe('Missing or wrong token');
      expect(error.hint).toContain('Authorization: Bearer');
    }
    // The token is checked before anything else: no method list leaks to a caller without it.
    const unknownWithoutToken = await backend.fetch('/api/rpc/no.such.method', { method: 'POST', body: '{}', token: null });
    expect((await httpError(unknownWithoutToken)).code).toBe('unauthorized');
  });

  it('serves a method with the token, with or without a body', async () => {
    const info = await backend.call('system.info', {});
    expect(info).toMatchObject({ name: 'Parley', mode: 'server', dataDir: backend.dataDir, pid: process.pid });
    const ping = await post(backend, 'system.ping', '');
    expect(ping.status).toBe(200);
    expect((await ping.json()) as unknown).toMatchObject({ result: { serverTime: expect.any(Number) } });
    const echoed = await backend.call('system.ping', { echo: 'hello' });
    expect(echoed.echo).toBe('hello');
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await backend.fetch('/healthz', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const odd = await backend.fetch('/healthz', { headers: { 'x-request-id': 'has spaces / and slashes' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 bad_request', async () => {
    for (const body of ['{"echo":', 'not json', '{echo: "x"}']) {
      const response = await post(backend, 'system.ping', body);
      const error = await httpError(response);
      expect(error.status).toBe(400);
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/^Body is not valid JSON/);
    }
  });

  it('answers wrong param types with 400 invalid_params naming the path', async () => {
    const response = await post(backend, 'system.ping', JSON.stringify({ echo: 42 }));
    const error = await httpError(response);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_params');
    expect(error.message).toMatch(/^Invalid params for system\.ping: echo: /);

    await expect(backend.call('diagnostics.recentLogs', { limit: 0 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_params',
      message: expect.stringMatching(/recentLogs: limit: /),
    });
    await expect(backend.call('settings.set', { key: 'ui.theme', value: 'purple' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_params',
      message: 'Invalid value for setting ui.theme',
    });
    await expect(backend.call('secrets.set', { name: 'Not Allowed!', value: 'v' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_params',
      message: expect.stringContaining('name: lowercase letters, digits and . _ : - only'),
    });
  });

  it.each(Object.keys(methods) as MethodName[])('answers %s with wrong-typed params by a clear 400, not a 500', async (method) => {
    const { body, paths } = wrongTypedParams(method);
    const response = await post(backend, method, JSON.stringify(body));
    const error = await httpError(response);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_params');
    expect(error.message).toContain(`Invalid params for ${method}: `);
    // The message names where the params went wrong (at most the first three issues).
    expect(paths.some((path) => error.message.includes(`${path}: `)), error.message).toBe(true);
    const issuePaths = (error.details as Array<{ path: unknown[] }>).map((issue) => String(issue.path[0] ?? 'params'));
    expect(issuePaths.length).toBeGreaterThan(0);
    for (const path of issuePaths) expect(paths).toContain(path);
  });

  it('answers an unknown method with 404 unknown_method', async () => {
    for (const name of ['system.nope', 'constructor', '__proto__', 'toString', 'system.ping.extra']) {
      const error = await httpError(await post(backend, encodeURIComponent(name), '{}'));
      expect(error.status, name).toBe(404);
      expect(error.code, name).toBe('unknown_method');
      expect(error.message, name).toBe(`Unknown method "${name}"`);
    }
  });

  it('answers a method name that is not valid percent-encoding with a 4xx, not a 500', async () => {
    const response = await post(backend, '%E0%A4%A', '{}');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await httpError(response)).code).toBe('bad_request');
  });

  it('answers an oversized body with 413 payload_too_large, declared or streamed', async () => {
    const big = JSON.stringify({ echo: 'x'.repeat(4000) });
    const declared = await httpError(await post(backend, 'system.ping', big));
    expect(declared.status).toBe(413);
    expect(declared.code).toBe('payload_too_large');
    expect(declared.message).toBe('Body larger than 2048 bytes');
    expect(declared.hint).toContain('PARLEY_MAX_JSON_BYTES');

    // Chunked, so the size is only known while reading.
    const streamed = await rawRequest(backend.url, {
      method: 'POST',
      path: '/api/rpc/system.ping',
      headers: { authorization: `Bearer ${backend.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: ['{"echo":"', 'y'.repeat(1500), 'y'.repeat(1500), '"}'],
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'payload_too_large' } });

    // Just under the limit still goes through.
    const fits = await backend.call('system.ping', { echo: 'z'.repeat(1900) });
    expect(fits.echo).toHaveLength(1900);
  });

  it('answers unknown paths with 404 not_found, and GET on an RPC path too', async () => {
    const missing = await httpError(await backend.fetch('/nothing-here'));
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    const getRpc = await httpError(await backend.fetch('/api/rpc/system.ping'));
    expect(getRpc).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('still answers /healthz and methods after all those refusals', async () => {
    const health = await backend.fetch('/healthz', { token: null });
    expect(health.status).toBe(200);
    expect(healthReportSchema.parse(await health.json()).status).toBe('ok');
    expect((await backend.call('system.ping', { echo: 'still here' })).echo).toBe('still here');
  });

  it('reports errors from call() as RpcHttpError with the status', async () => {
    const failure = await backend.call('settings.set', { key: 'ui.theme', value: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcHttpError);
    expect((failure as RpcHttpError).status).toBe(400);
  });
});

describe('control API settings and secrets over HTTP', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('lists defaults, sets a setting and lists it back', async () => {
    expect((await backend.call('settings.list', {})).settings).toEqual(defaultSettings());
    expect(await backend.call('settings.set', { key: 'ui.theme', value: 'dark' })).toEqual({ key: 'ui.theme', value: 'dark' });
    expect((await backend.call('settings.list', {})).settings['ui.theme']).toBe('dark');
    await expect(backend.call('settings.set', { key: 'no.such' as 'ui.theme', value: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_params',
      message: expect.stringContaining('key: '),
    });
  });

  it('takes a secret in but never hands its value out', async () => {
    const value = 'sk-http-secret-value-123456789';
    const set = await backend.call('secrets.set', { name: 'openai.api-key', value });
    expect(set.name).toBe('openai.api-key');
    const listResponse = await backend.fetch('/api/rpc/secrets.list', { method: 'POST', body: '{}' });
    const listText = await listResponse.text();
    expect(listText).not.toContain(value);
    expect(JSON.parse(listText)).toEqual({ result: { secrets: [{ name: 'openai.api-key', updatedAt: set.updatedAt }] } });
    expect(await backend.backend.store.secrets.get('openai.api-key')).toBe(value);
    expect(await backend.call('secrets.delete', { name: 'openai.api-key' })).toEqual({ deleted: true });
    expect(await backend.call('secrets.delete', { name: 'openai.api-key' })).toEqual({ deleted: false });
    expect((await backend.call('secrets.list', {})).secrets).toEqual([]);
  });
});

describe('web console files', () => {
  let root: string;
  let backend: TestBackend;
  const INDEX = '<!doctype html><title>Parley console</title>';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'parley-static-'));
    const staticDir = join(root, 'console');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    await writeFile(join(staticDir, 'index.html'), INDEX);
    await writeFile(join(staticDir, 'assets', 'app-1234.js'), 'console.log("app")');
    // Files next to the console that must never be reachable through it.
    await writeFile(join(root, 'package.json'), '{"name":"OUTSIDE-THE-CONSOLE"}');
    await writeFile(join(root, 'secret.txt'), 'OUTSIDE-THE-CONSOLE');
    backend = await startTestBackend({ staticDir });
  });
  afterAll(async () => {
    await backend?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('serves index.html for / and for a client-side route, with the CSP and no token', async () => {
    for (const path of ['/', '/index.html', '/settings/voice', '/chat']) {
      const response = await backend.fetch(path, { token: null });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy'), path).toBe(CONSOLE_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text(), path).toBe(INDEX);
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets with long caching and answers 404 for a missing file', async () => {
    const asset = await backend.fetch('/assets/app-1234.js', { token: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const head = await backend.fetch('/assets/app-1234.js', { token: null, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const missing = await backend.fetch('/assets/missing.js', { token: null });
    expect(missing.status).toBe(404);
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/..%2fpackage.json',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2f..%2fetc/passwd',
    '/..%5c..%5csecret.txt',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  ])('does not serve %s from outside the console folder', async (path) => {
    const answer = await rawRequest(backend.url, { path });
    expect(answer.body).not.toContain('OUTSIDE-THE-CONSOLE');
    expect(answer.body).not.toMatch(/root:.*:0:0:/);
    // Either a plain 404 or the console's own index (a client route), never another file.
    if (answer.status === 200) expect(answer.body).toBe(INDEX);
    else expect(answer.status).toBe(404);
  });

  it('does not serve the console under /api/', async () => {
    const response = await backend.fetch('/api/anything', { token: null });
    expect(response.status).toBe(404);
    expect((await httpError(response)).code).toBe('not_found');
  });
});

describe('listening address', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  function tryConnect(host: string, port: number): Promise<'connected' | string> {
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: 2000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  }

  it('listens on 127.0.0.1 only', async () => {
    const { hostname, port } = new URL(backend.url);
    expect(hostname).toBe('127.0.0.1');
    expect(await tryConnect('127.0.0.1', Number(port))).toBe('connected');

    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal && !address.address.startsWith('fe80:'))
      .map((address) => address!.address);
    for (const address of [...others, '::1']) {
      expect(await tryConnect(address, Number(port)), address).not.toBe('connected');
    }
  });
});
