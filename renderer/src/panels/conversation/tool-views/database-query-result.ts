import { databaseQueryToolDataSchema, type DatabaseQueryToolData, type ToolCall, type ToolResult } from '#protocol';

export interface DatabaseQueryOutcome {
  data: DatabaseQueryToolData;
  /** The SQL the agent ran, to run again in full in the Databases panel. */
  sql: string;
}

/** The rows a db_<connection>_query call brought back, or null when its result is not a query's (a failure, a cut-off result). */
export function databaseQueryOf(call: ToolCall, result: ToolResult): DatabaseQueryOutcome | null {
  const content = parseJson(result.content) as { ok?: unknown; data?: unknown } | null;
  const args = parseJson(call.arguments) as { sql?: unknown } | null;
  if (content?.ok !== true || typeof args?.sql !== 'string') return null;
  const data = databaseQueryToolDataSchema.safeParse(content.data);
  return data.success ? { data: data.data, sql: args.sql } : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
