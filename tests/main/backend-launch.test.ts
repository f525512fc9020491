import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendEntryPath, buildBackendLaunch, generateBackendToken } from '../../main/backend-launch';
import { readBackendConfig } from '../../backend/server/config';

describe('buildBackendLaunch', () => {
  const key = Buffer.alloc(32, 7);

  it('sets desktop mode, a free port, the data folder and the key', () => {
    const { env, token } = buildBackendLaunch({ baseEnv: { PATH: '/usr/bin' }, dataDir: '/data/Parley', secretKey: key });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      PARLEY_MODE: 'desktop',
      PARLEY_TOKEN: token,
      PARLEY_PORT: '0',
      PARLEY_DATA_DIR: '/data/Parley',
      PARLEY_SECRET_KEY: key.toString('base64'),
    });
  });

  it('gives every launch a fresh token', () => {
    const launch = () => buildBackendLaunch({ baseEnv: {}, dataDir: '/d', secretKey: undefined }).token;
    expect(launch()).not.toBe(launch());
  });

  it('does not let an inherited secret key reach the backend when the desktop has none', () => {
    const { env } = buildBackendLaunch({ baseEnv: { PARLEY_SECRET_KEY: 'inherited', PARLEY_TOKEN: 'x'.repeat(20) }, dataDir: '/d', secretKey: undefined });
    expect(env).not.toHaveProperty('PARLEY_SECRET_KEY');
    expect(env.PARLEY_TOKEN).not.toBe('x'.repeat(20));
  });

  it('produces an environment the backend accepts', () => {
    const { env, token } = buildBackendLaunch({ baseEnv: {}, dataDir: '/data/Parley', secretKey: key });
    const config = readBackendConfig(env, undefined);
    expect(config).toMatchObject({ mode: 'desktop', port: 0, token, tokenGenerated: false, dataDir: '/data/Parley', host: '127.0.0.1' });
    expect(Buffer.from(config.secretKey ?? '', 'base64').equals(key)).toBe(true);
  });
});

describe('generateBackendToken', () => {
  it('makes 32 URL-safe characters (24 random bytes)', () => {
    expect(generateBackendToken()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('backendEntryPath', () => {
  it('points from out/main to out/backend/index.js', () => {
    expect(backendEntryPath(join('/app', 'out', 'main'))).toBe(join('/app', 'out', 'backend', 'index.js'));
  });
});
