import { z } from 'zod';
import { channelSchema } from './agent';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

/** The SQL dialects a connection can speak; each has its own parser, read-only transaction and introspection. */
export const databaseDialectSchema = z.enum(['sqlite', 'postgres', 'mysql', 'mssql', 'oracle']);
export type DatabaseDialect = z.infer<typeof databaseDialectSchema>;

/** Lower-case letters, digits and _: the name is part of the agent's tool names and of env variables. */
export const connectionNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter (at most 40)');

export const connectionSslSchema = z.object({
  enabled: z.boolean().default(false),
  /** false accepts self-signed certificates (a private network's server); true by default. */
  rejectUnauthorized: z.boolean().default(true),
});

/** A connection as stored: everything but the password, which is a sealed secret. */
export const connectionSettingsSchema = z.object({
  dialect: databaseDialectSchema,
  host: z.string().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().max(255).optional(),
  user: z.string().max(255).optional(),
  /** SQLite: the database file. */
  filename: z.string().max(4096).optional(),
  ssl: connectionSslSchema.optional(),
  /**
   * The agent may run one INSERT, UPDATE or DELETE at a time on this connection, each after the
   * operator approves it in the console (never for WhatsApp contacts, never on the API channel).
   * Off (absent) by default; `databases.query` stays read-only either way.
   */
  allowWrites: z.boolean().optional(),
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

export const databaseConnectionSchema = connectionSettingsSchema.extend({
  name: connectionNameSchema,
  /** 'env': from PARLEY_DB_<NAME>_URL (read-only in the panel); 'demo': the bundled shop; 'user': added in the panel. */
  source: z.enum(['user', 'env', 'demo']),
  hasPassword: z.boolean(),
  /** Whether a pool is open right now (pools open on first use and close when idle). */
  open: z.boolean(),
});
export type DatabaseConnection = z.infer<typeof databaseConnectionSchema>;

export const schemaColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  primaryKey: z.boolean(),
  comment: z.string().nullable(),
});

export const schemaForeignKeySchema = z.object({
  columns: z.array(z.string()),
  referencedTable: z.string(),
  referencedColumns: z.array(z.string()),
});

export const schemaTableSchema = z.object({
  /** Schema (PostgreSQL, SQL Server, Oracle) or database (MySQL); null for SQLite's main. */
  schema: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['table', 'view']),
  comment: z.string().nullable(),
  /** The planner's estimate (pg_class.reltuples, information_schema.tables.table_rows) or an exact count for SQLite. */
  rowEstimate: z.number().nullable(),
  columns: z.array(schemaColumnSchema),
  foreignKeys: z.array(schemaForeignKeySchema),
});
export type SchemaTable = z.infer<typeof schemaTableSchema>;

export const databaseSchemaSchema = z.object({
  connection: z.string(),
  dialect: databaseDialectSchema,
  tables: z.array(schemaTableSchema),
  introspectedAt: z.string(),
  ms: z.number(),
});
export type DatabaseSchema = z.infer<typeof databaseSchemaSchema>;

export const queryResultSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number(),
  /** More rows existed than the cap allowed; only the first `rowCount` came back. */
  truncated: z.boolean(),
  ms: z.number(),
});
export type QueryResult = z.infer<typeof queryResultSchema>;

export const queryHistoryEntrySchema = z.object({
  id: z.number(),
  /** A read (guarded SELECT), an approved-or-not write by the agent, or a CSV export. */
  kind: z.enum(['read', 'write', 'export']),
  connection: z.string(),
  channel: z.union([channelSchema, z.literal('panel')]),
  /** The conversation, or 'control-api' for scripts. */
  who: z.string(),
  sql: z.string(),
  ms: z.number(),
  /** Rows returned (read, export) or changed (write); null when it did not run to the end. */
  rowCount: z.number().nullable(),
  /** The error code and message when the query was refused, rejected by the operator, or failed. */
  error: z.string().nullable(),
  at: z.string(),
});
export type QueryHistoryEntry = z.infer<typeof queryHistoryEntrySchema>;

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  /** "Connected to PostgreSQL 15.4 in 12 ms" or the diagnosis: what failed and what to do. */
  message: z.string(),
  hint: z.string().optional(),
  serverVersion: z.string().optional(),
  ms: z.number(),
});

/**
 * The `data` of the agent's `db_<connection>_query` tool result: what the model reads to answer
 * (the columns, the first rows, how many there were) and what the conversation draws as a table
 * and a chart under the answer.
 */
export const databaseQueryToolDataSchema = z.object({
  connection: z.string(),
  /** The dialect's name for the model ("PostgreSQL", "SQLite"...). */
  dialect: z.string(),
  columns: z.array(z.string()),
  /** The first rows only (at most `rowsShown`); the whole result is in the Databases panel. */
  rows: z.array(z.array(z.unknown())),
  /** Rows the query returned, up to the row cap. */
  rowCount: z.number(),
  /** More rows existed than the cap allowed. */
  truncated: z.boolean(),
  /** How many of the `rowCount` rows are in `rows`. */
  rowsShown: z.number(),
  ms: z.number(),
  /** Tells the model what it holds when it got fewer rows than there are. */
  note: z.string().optional(),
});
export type DatabaseQueryToolData = z.infer<typeof databaseQueryToolDataSchema>;

/** `POST` the export request here: a CSV stream of the whole result (bearer token). */
export const databaseExportPath = '/api/databases/export';

/** The body of `POST /api/databases/export` (a CSV stream of the whole result, not an RPC method). */
export const databaseExportRequestSchema = z.object({ connection: connectionNameSchema, sql: z.string().min(1).max(100_000) });

export const databasesMethods = {
  'databases.list': {
    params: z.object({}),
    result: z.object({ connections: z.array(databaseConnectionSchema) }),
  },
  /** Tables, views, columns, keys and estimates; cached until `refresh` or a change of the connection. */
  'databases.schema': {
    params: z.object({ connection: connectionNameSchema, refresh: z.boolean().default(false) }),
    result: databaseSchemaSchema,
  },
  /** One read statement through the read-only guard: a refusal is `forbidden` with the reason, a timeout `timeout`. */
  'databases.query': {
    params: z.object({ connection: connectionNameSchema, sql: z.string().min(1).max(100_000), maxRows: z.number().int().min(1).max(100_000).optional() }),
    result: queryResultSchema,
  },
  /** Adds or replaces a connection; `password` undefined keeps the stored one, null removes it. */
  'databases.save': {
    params: connectionSettingsSchema.extend({ name: connectionNameSchema, password: z.string().max(1000).nullable().optional() }),
    result: z.object({ connection: databaseConnectionSchema }),
  },
  'databases.remove': {
    params: z.object({ name: connectionNameSchema }),
    result: z.object({ removed: z.boolean() }),
  },
  /** Connects with a saved connection (`name`) or unsaved settings, and says precisely what failed. */
  'databases.test': {
    params: z.union([
      z.object({ name: connectionNameSchema }),
      connectionSettingsSchema.extend({ password: z.string().max(1000).optional() }),
    ]),
    result: connectionTestResultSchema,
  },
  'databases.history': {
    params: z.object({ search: z.string().max(200).optional(), connection: connectionNameSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ entries: z.array(queryHistoryEntrySchema) }),
  },
} as const satisfies Record<string, MethodSpec>;

export const databasesEvents = {
  /** A connection was added, changed or removed: the panel refetches the list. */
  'databases.changed': eventSpec(z.object({ connection: z.string() }), () => topics.databases),
};

export const databasesSettings = {
  /** The most rows a query returns (the agent's tool and the control API); more set `truncated`. */
  'databases.maxRows': z.number().int().min(1).max(100_000).default(1000),
  /** A query running longer is cancelled on the server and answers `timeout`. */
  'databases.statementTimeoutMs': z.number().int().min(100).max(600_000).default(15_000),
};
