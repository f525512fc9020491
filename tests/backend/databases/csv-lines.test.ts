import { describe, expect, it } from 'vitest';
import { csvLines } from '../../../backend/databases/execute/csv-lines';

describe('CSV export lines (the one encoder: the backend streams, the panel downloads)', () => {
  it('quotes what needs quoting, keeps NULL empty, and defuses spreadsheet formulas', () => {
    const csv = csvLines([['name', 'note', 'n'], ['O"Hara', 'a,b', 1], ['x', null, -2], ['=HYPERLINK("evil")', 'line\nbreak', 3.5], ['@SUM(A1)', { a: 1 }, '-x']]);
    expect(csv).toBe('name,note,n\r\n"O""Hara","a,b",1\r\nx,,-2\r\n"\'=HYPERLINK(""evil"")","line\nbreak",3.5\r\n\'@SUM(A1),"{""a"":1}",\'-x\r\n');
  });
});
