import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, ParleyError } from '#protocol';
import { openAppStore, type AppStore } from '../../../backend/store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const open = new Set<AppStore>();
afterEach(async () => {
  await Promise.all([...open].map((store) => store.close()));
  open.clear();
});

async function openStore(dataDir: string): Promise<AppStore> {
  const store = await openAppStore({ dataDir, secretKey: undefined });
  open.add(store);
  return store;
}
async function closeStore(store: AppStore): Promise<void> {
  open.delete(store);
  await store.close();
}

describe('settings', () => {
  it('falls back to the default for a stored value that is not JSON, and keeps the others', async () => {
    const store = await openStore(await tempDir());
    await store.settings.set('logging.level', 'warn');
    await store.knex('settings').insert({ key: 'ui.theme', value_json: '{not json', updated_at: new Date().toISOString() });
    const settings = await store.settings.getAll();
    expect(settings['ui.theme']).toBe('system');
    expect(settings['logging.level']).toBe('warn');
  });

  it('reads the protocol defaults from a fresh store', async () => {
    const store = await openStore(await tempDir());
    expect(await store.settings.getAll()).toEqual(defaultSettings());
    expect(await store.settings.get('ui.theme')).toBe('system');
    expect(await store.settings.get('logging.level')).toBe('info');
  });

  it('stores a valid value, overwrites it, and keeps it across a reopen', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);
    expect(await store.settings.set('ui.theme', 'dark')).toBe('dark');
    expect(await store.settings.set('ui.theme', 'light')).toBe('light');
    expect(await store.settings.set('logging.level', 'debug')).toBe('debug');
    await closeStore(store);

    const reopened = await openStore(dataDir);
    expect(await reopened.settings.getAll()).toEqual({ ...defaultSettings(), 'ui.theme': 'light', 'logging.level': 'debug' });
    expect(await reopened.knex('settings').count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('rejects an invalid value with invalid_params and leaves the stored value alone', async () => {
    const store = await openStore(await tempDir());
    await store.settings.set('ui.theme', 'dark');

    const failure = await store.settings.set('ui.theme', 'purple').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect((failure as ParleyError).code).toBe('invalid_params');
    expect((failure as ParleyError).message).toContain('ui.theme');
    await expect(store.settings.set('logging.level', 3)).rejects.toMatchObject({ code: 'invalid_params' });

    expect(await store.settings.get('ui.theme')).toBe('dark');
  });

  it('falls back to the default for a stored value that no longer validates, and ignores unknown keys', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);
    await store.knex('settings').insert([
      { key: 'ui.theme', value_json: JSON.stringify('sepia'), updated_at: new Date().toISOString() },
      { key: 'future.setting', value_json: JSON.stringify(42), updated_at: new Date().toISOString() },
    ]);
    const settings = await store.settings.getAll();
    expect(settings).toEqual(defaultSettings());
    expect(Object.keys(settings)).not.toContain('future.setting');
  });
});
