import { describe, expect, it } from 'vitest';
import { databaseQueryToolDataSchema } from '#protocol';
import { queryToolData } from '../../../backend/databases/tools/query-tool-data';
import { toolResultContent } from '../../../backend/agent/loop/grounding';

const result = (rows: unknown[][], truncated = false) => ({ columns: ['name', 'note'], rows, rowCount: rows.length, truncated, ms: 4 });

describe('what the query tool gives the model', () => {
  it('a small result: every row, the count, no note', () => {
    const data = queryToolData('shop', 'SQLite', result([['Ada', 'x'], ['Ben', null]]));
    expect(data).toEqual({ connection: 'shop', dialect: 'SQLite', columns: ['name', 'note'], rows: [['Ada', 'x'], ['Ben', null]], rowCount: 2, truncated: false, rowsShown: 2, ms: 4 });
    expect(databaseQueryToolDataSchema.parse(data)).toEqual(data);
  });

  it('a large one: the first 50 rows, how many there were, and a note to aggregate rather than count them', () => {
    const rows = Array.from({ length: 1000 }, (_unused, index) => [`customer ${index}`, 'ok']);
    const data = queryToolData('shop', 'PostgreSQL', result(rows, true));
    expect(data.rows).toEqual(rows.slice(0, 50));
    expect(data).toMatchObject({ rowCount: 1000, rowsShown: 50, truncated: true });
    expect(data.note).toMatch(/^Only the first 50 of the 1000 rows are listed here/);
    expect(data.note).toMatch(/more than the row cap \(1000\)/);
    expect(data.note).toMatch(/aggregate \(COUNT, SUM, GROUP BY/);
  });

  it('wide text: long cells shortened and fewer rows, so the result the model reads stays whole JSON', () => {
    const rows = Array.from({ length: 40 }, (_unused, index) => [`row ${index}`, 'x'.repeat(5_000)]);
    const data = queryToolData('docs', 'MySQL/MariaDB', result(rows));
    expect(data.rowsShown).toBeLessThan(40);
    expect(data.rowsShown).toBeGreaterThan(10);
    expect(String(data.rows[0]![1])).toMatch(/^x{500}… \(5000 characters\)$/);
    const content = toolResultContent({ kind: 'data', data, source: 'database docs' });
    expect(JSON.parse(content)).toMatchObject({ ok: true, data: { rowCount: 40 } });
  });
});
