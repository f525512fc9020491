import { z } from 'zod';
import { ParleyError } from '#protocol';
import { DisposableStore, type Disposable } from '../../base';
import { defineTool, type ToolRegistry } from '../../platform/tools';
import type { DatabasesService } from '../databases-service';
import { queryToolData } from './query-tool-data';
import { sampleLowCardinalityValues } from './sample-values';
import { describeForModel, qualified, relevantTables } from './schema-slice';

/**
 * The consoles and the API may read the operator's databases through the agent; WhatsApp contacts
 * may not: they are the operator's customers, and a read-only query can still leak every row.
 */
const CHANNELS = ['console', 'api'] as const;

const DIALECT_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB', mssql: 'SQL Server (T-SQL)', oracle: 'Oracle' } as const;

/** The current limits a query or a write waits within: the operator's approval (writes), then the statement. */
export interface ToolLimits {
  confirmationMs: number;
  statementMs: number;
}

/**
 * Registers the tools of one connection — list, describe, query, and write when the operator
 * allowed writes on it; disposing the result removes them from the agent.
 */
export function registerDatabaseTools(tools: ToolRegistry, service: DatabasesService, connection: string, toolLimits: () => ToolLimits): Disposable {
  const store = new DisposableStore();
  const dialect = () => DIALECT_NAMES[service.dialectOf(connection)];
  const prefix = `db_${connection}`;

  store.add(
    tools.register(
      defineTool({
        name: `${prefix}_list_tables`,
        description: `Lists the tables and views of the "${connection}" database, with row estimates and comments.`,
        input: z.object({}),
        channels: CHANNELS,
        timeoutMs: 30_000,
        async execute() {
          const schema = await service.schema(connection);
          return {
            data: { dialect: dialect(), tables: schema.tables.map((table) => ({ table: qualified(table), kind: table.kind, rows: table.rowEstimate, ...(table.comment ? { comment: table.comment } : {}) })) },
            source: `database ${connection}`,
          };
        },
      }),
    ),
  );
  store.add(
    tools.register(
      defineTool({
        name: `${prefix}_describe_tables`,
        description: `Columns, types, keys and foreign keys of tables in the "${connection}" database: name the tables, or give the question to get the tables relevant to it. Call it before writing SQL.`,
        input: z.object({
          tables: z.array(z.string().max(200)).max(20).optional().describe('Table names, as list_tables gives them'),
          question: z.string().max(1000).optional().describe("The user's question, to pick the relevant tables"),
        }),
        channels: CHANNELS,
        timeoutMs: 30_000,
        async execute({ tables, question }) {
          const schema = await service.schema(connection);
          const picked = relevantTables(schema.tables, question, tables ?? []);
          const samples = await sampleLowCardinalityValues(schema.dialect, picked, (sql) => service.internalRows(connection, sql));
          const described = describeForModel(picked).map((table) => {
            const values = samples.get(String(table.table));
            return values ? { ...table, sampleValues: values } : table;
          });
          return { data: { dialect: dialect(), tables: described }, source: `database ${connection}` };
        },
      }),
    ),
  );
  store.add(
    tools.register({
      ...defineTool({
        name: `${prefix}_query`,
        description: `Runs ONE read-only SELECT on the "${connection}" database and returns the rows (capped). Writes, locks, sleeps and file or network functions are refused. Use the dialect's syntax; if the query fails, read the error and correct it once.`,
        input: z.object({ sql: z.string().min(1).max(20_000).describe('One SELECT statement (WITH ... SELECT allowed)') }),
        channels: CHANNELS,
        async execute({ sql }, context) {
          try {
            const result = await service.query(connection, sql, { channel: context.channel, who: context.conversationId ?? 'agent', signal: context.signal });
            return { data: queryToolData(connection, dialect(), result), source: `database ${connection}` };
          } catch (error) {
            throw service.allowsWrites(connection) && isRefusedWrite(error, sql) ? pointToWriteTool(error, `${prefix}_write`) : error;
          }
        },
      }),
      // The statement's own timeout (a clearer message, and a cancel on the server) and the
      // connection's (10 s to connect, a precise diagnosis) fire before the loop's.
      get timeoutMs() {
        return toolLimits().statementMs + 30_000;
      },
    }),
  );
  if (!service.allowsWrites(connection)) return store;
  const writeTool = `${prefix}_write`;
  store.add(
    tools.register({
      ...defineTool({
        name: writeTool,
        description: `Runs ONE INSERT, UPDATE or DELETE on the "${connection}" database, after the operator approves it in the console (the call waits for that). Schema changes, several statements and upserts are refused. First find the rows with ${prefix}_query; change only what the user asked for, with a WHERE clause.`,
        input: z.object({ sql: z.string().min(1).max(20_000).describe('One INSERT, UPDATE or DELETE statement') }),
        channels: CHANNELS,
        async execute({ sql }, context) {
          const result = await service.write(connection, sql, { channel: context.channel, who: context.conversationId ?? 'agent', tool: writeTool, conversationId: context.conversationId, signal: context.signal });
          return { data: { connection, dialect: dialect(), statement: result.statement, affectedRows: result.affectedRows, committed: true, ms: result.ms }, source: `database ${connection}` };
        },
      }),
      // A getter: the loop reads it per call, so a changed approval timeout or statement timeout counts at once.
      get timeoutMs() {
        const limits = toolLimits();
        return limits.confirmationMs + limits.statementMs + 30_000;
      },
    }),
  );
  return store;
}

/** The model sent a write to the read tool of a connection that has a write tool. */
function isRefusedWrite(error: unknown, sql: string): error is ParleyError {
  return error instanceof ParleyError && error.code === 'forbidden' && /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql);
}

function pointToWriteTool(error: ParleyError, writeTool: string): ParleyError {
  return new ParleyError('forbidden', `${error.message} This tool only reads; this connection allows writes through ${writeTool}, which asks the operator to approve each one.`, { details: error.details });
}
