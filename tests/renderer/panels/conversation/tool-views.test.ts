import { describe, expect, it } from 'vitest';
import type { ToolCall, ToolResult } from '#protocol';
import { databaseQueryOf } from '../../../../renderer/src/panels/conversation/tool-views/database-query-result';
import { DatabaseQueryView } from '../../../../renderer/src/panels/conversation/tool-views/DatabaseQueryView';
import { toolViewFor } from '../../../../renderer/src/panels/conversation/tool-views/registry';

const call = (name: string, args: unknown): ToolCall => ({ id: 'c1', name, arguments: JSON.stringify(args) });
const result = (content: unknown, ok = true): ToolResult => ({ callId: 'c1', name: 'db_demo_shop_query', ok, content: JSON.stringify(content), ms: 12 });
const data = { connection: 'demo_shop', dialect: 'SQLite', columns: ['category', 'revenue'], rows: [['Coffee', 120.5], ['Tea', 80]], rowCount: 2, truncated: false, rowsShown: 2, ms: 3 };

describe('tool views in the conversation', () => {
  it('gives every connection’s query tool the result view, and nothing else a view', () => {
    expect(toolViewFor('db_demo_shop_query')).toBe(DatabaseQueryView);
    expect(toolViewFor('db_sales_eu_query')).toBe(DatabaseQueryView);
    expect(toolViewFor('db_demo_shop_write')).toBeUndefined();
    expect(toolViewFor('db__query')).toBeUndefined();
    expect(toolViewFor('get_current_time')).toBeUndefined();
  });

  it('reads the rows and the SQL of a query result', () => {
    const sql = 'SELECT category, SUM(x) AS revenue FROM t GROUP BY category';
    expect(databaseQueryOf(call('db_demo_shop_query', { sql }), result({ ok: true, source: 'database demo_shop', data }))).toEqual({ data, sql });
  });

  it('shows nothing for a failure, a result cut by the loop, or arguments that are not JSON', () => {
    const sql = { sql: 'SELECT 1' };
    expect(databaseQueryOf(call('db_demo_shop_query', sql), result({ ok: false, error: 'Refused: ...' }, false))).toBeNull();
    expect(databaseQueryOf(call('db_demo_shop_query', sql), result({ ok: true, truncated: true, partial: '{"ok":true,"data":{"colu' }))).toBeNull();
    expect(databaseQueryOf({ id: 'c1', name: 'db_demo_shop_query', arguments: '{"sql": "SELECT' }, result({ ok: true, data }))).toBeNull();
  });
});
