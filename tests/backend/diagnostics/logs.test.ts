import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { eventually } from '../whatsapp/whatsapp-fixture';

describe('the log viewer’s search', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    // A broken PARLEY_DB_* URL makes the databases capability warn at start, under its own component.
    backend = await startTestBackend({ environment: { PARLEY_DB_BROKEN_URL: 'not a database url' } });
    backend.backend.logger.warn({ invoice: 'INV-2041' }, 'platform line at warn');
    backend.backend.logger.error({ invoice: 'INV-7777' }, 'Payment Gateway timed out');
  });
  afterAll(async () => backend.close());

  it('filters the recent log by level, component and text (message or fields, any case)', async () => {
    const all = await backend.call('diagnostics.logs', {});
    expect(all.components).toEqual(expect.arrayContaining(['backend', 'databases']));

    const databases = await backend.call('diagnostics.logs', { component: 'databases' });
    expect(databases.entries.length).toBeGreaterThan(0);
    expect(databases.entries.every((entry) => entry.component === 'databases')).toBe(true);
    expect(databases.entries.some((entry) => entry.msg.includes('PARLEY_DB_BROKEN_URL'))).toBe(true);

    const errors = await backend.call('diagnostics.logs', { minLevel: 'error' });
    expect(errors.entries.map((entry) => entry.msg)).toEqual(['Payment Gateway timed out']);
    expect(errors.entries[0]).toMatchObject({ level: 'error', component: 'backend', fields: { invoice: 'INV-7777' } });

    expect((await backend.call('diagnostics.logs', { search: 'payment gateway' })).entries.map((entry) => entry.msg)).toEqual(['Payment Gateway timed out']);
    expect((await backend.call('diagnostics.logs', { search: 'inv-2041' })).entries.map((entry) => entry.msg)).toEqual(['platform line at warn']);
    expect((await backend.call('diagnostics.logs', { search: 'nothing logs this' })).entries).toEqual([]);
    expect((await backend.call('diagnostics.logs', { limit: 1 })).entries).toHaveLength(1);
  });

  it('searches the rotated log files on disk the same way', async () => {
    const found = await eventually('the error line in the log file', async () => {
      const result = await backend.call('diagnostics.logs', { source: 'files', search: 'INV-7777' });
      return result.entries.length > 0 ? result : undefined;
    });
    expect(found.entries).toEqual([expect.objectContaining({ msg: 'Payment Gateway timed out', level: 'error', component: 'backend' })]);
    expect(found.scanned).toBeGreaterThan(1);
    const fromDatabases = await backend.call('diagnostics.logs', { source: 'files', component: 'databases', minLevel: 'warn' });
    expect(fromDatabases.entries.some((entry) => entry.msg.includes('PARLEY_DB_BROKEN_URL'))).toBe(true);
    expect(fromDatabases.components).toEqual(expect.arrayContaining(['backend', 'databases']));
  });
});
