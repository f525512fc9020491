import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_JSON_BYTES, DEFAULT_PORT, defaultDataDir, readBackendConfig } from '../../../backend/server';

const TOKEN = 'a-perfectly-fine-token_0123456789';

describe('backend config from the environment', () => {
  it('defaults to server mode on 127.0.0.1:7861 with a generated token it flags for printing', () => {
    const config = readBackendConfig({ XDG_DATA_HOME: '/tmp/xdg' }, '/opt/parley/renderer');
    expect(DEFAULT_PORT).toBe(7861);
    expect(config).toMatchObject({
      mode: 'server',
      host: '127.0.0.1',
      port: 7861,
      tokenGenerated: true,
      maxJsonBytes: DEFAULT_MAX_JSON_BYTES,
      logLevel: 'info',
      secretKey: undefined,
      staticDir: '/opt/parley/renderer',
    });
    expect(config.dataDir).toBe(defaultDataDir({ XDG_DATA_HOME: '/tmp/xdg' }));
    // The generated token is long and usable as a WebSocket subprotocol.
    expect(config.token.length).toBeGreaterThanOrEqual(32);
    expect(config.token).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(readBackendConfig({}, undefined).token).not.toBe(config.token);
  });

  it('takes every PARLEY_* variable', () => {
    const config = readBackendConfig(
      {
        PARLEY_MODE: 'desktop',
        PARLEY_PORT: '0',
        PARLEY_TOKEN: TOKEN,
        PARLEY_DATA_DIR: '/data/parley',
        PARLEY_SECRET_KEY: 'c2VjcmV0',
        PARLEY_STATIC_DIR: '/srv/console',
        PARLEY_MAX_JSON_BYTES: '2048',
        PARLEY_LOG_LEVEL: 'debug',
      },
      '/ignored',
    );
    expect(config).toMatchObject({
      mode: 'desktop',
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      tokenGenerated: false,
      dataDir: '/data/parley',
      secretKey: 'c2VjcmV0',
      staticDir: '/srv/console',
      maxJsonBytes: 2048,
      logLevel: 'debug',
    });
  });

  it('never listens beyond loopback, whatever the environment says', () => {
    expect(readBackendConfig({ HOST: '0.0.0.0', PARLEY_HOST: '0.0.0.0' } as NodeJS.ProcessEnv, undefined).host).toBe('127.0.0.1');
  });

  it('puts the data dir where each OS expects it', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe(join('/x', 'parley'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Parley');
    expect(defaultDataDir({}, 'darwin')).toContain(join('Library', 'Application Support', 'Parley'));
  });

  it.each(['abc', '-1', '65536', '70000', '1.5', ' ', '80 80', '0x50', '1e3'])('refuses PARLEY_PORT=%j with a clear error', (port) => {
    expect(() => readBackendConfig({ PARLEY_PORT: port }, undefined)).toThrow(
      `PARLEY_PORT must be an integer from 0 to 65535 (got "${port}")`,
    );
  });

  it('accepts PARLEY_PORT at both ends of the range', () => {
    expect(readBackendConfig({ PARLEY_PORT: '0' }, undefined).port).toBe(0);
    expect(readBackendConfig({ PARLEY_PORT: '65535' }, undefined).port).toBe(65535);
    expect(readBackendConfig({ PARLEY_PORT: '' }, undefined).port).toBe(DEFAULT_PORT);
  });

  it.each(['1023', '0', 'lots', '2.5', '536870913'])('refuses PARLEY_MAX_JSON_BYTES=%j with a clear error', (bytes) => {
    expect(() => readBackendConfig({ PARLEY_MAX_JSON_BYTES: bytes }, undefined)).toThrow(
      `PARLEY_MAX_JSON_BYTES must be an integer from 1024 to 536870912 (got "${bytes}")`,
    );
  });

  it('refuses a PARLEY_TOKEN shorter than 16 characters', () => {
    expect(() => readBackendConfig({ PARLEY_TOKEN: 'short' }, undefined)).toThrow('PARLEY_TOKEN must be at least 16 characters');
    expect(() => readBackendConfig({ PARLEY_TOKEN: 'x'.repeat(15) }, undefined)).toThrow('at least 16 characters');
    expect(readBackendConfig({ PARLEY_TOKEN: 'x'.repeat(16) }, undefined).token).toBe('x'.repeat(16));
  });

  it.each(['has spaces in the token', 'comma,separated,token!', 'slash/in/the/token/value', 'ünïcödé-token-value-here'])(
    'refuses PARLEY_TOKEN=%j, which cannot travel as a subprotocol',
    (token) => {
      expect(() => readBackendConfig({ PARLEY_TOKEN: token }, undefined)).toThrow(
        'PARLEY_TOKEN may contain only letters, digits and . _ ~ -',
      );
    },
  );

  it('treats an empty PARLEY_TOKEN as unset and generates one', () => {
    const config = readBackendConfig({ PARLEY_TOKEN: '' }, undefined);
    expect(config.tokenGenerated).toBe(true);
    expect(config.token.length).toBeGreaterThanOrEqual(32);
  });
});
