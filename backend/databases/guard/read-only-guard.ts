import { createRequire } from 'node:module';
import type * as NodeSqlParser from 'node-sql-parser';
import { ParleyError, type DatabaseDialect } from '#protocol';
import { FORBIDDEN_KEYWORDS, forbiddenFunctionReason, LOCKING_AFTER_FOR } from './forbidden-sql';
import { tokenizeSql, type SqlToken } from './sql-tokens';

/** node-sql-parser's grammar per dialect (it has none for Oracle; DB2's is the closest: FETCH FIRST, DUAL). */
const PARSER_DATABASE: Record<DatabaseDialect, string> = {
  sqlite: 'sqlite',
  postgres: 'postgresql',
  mysql: 'mysql',
  mssql: 'transactsql',
  oracle: 'db2',
};

/** Statement types a read may never contain, at any depth (a data-modifying CTE shows up as one of these). */
const WRITE_NODE_TYPES = new Set(['insert', 'update', 'delete', 'replace', 'create', 'drop', 'alter', 'truncate', 'rename', 'grant', 'revoke', 'lock', 'unlock', 'call', 'exec', 'execute', 'set', 'load_data', 'declare', 'transaction']);

// node-sql-parser is CommonJS whose exports Node's ESM loader cannot name: required, not imported.
const { Parser } = createRequire(import.meta.url)('node-sql-parser') as typeof NodeSqlParser;
const parser = new Parser();

export interface GuardedStatement {
  /** The statement to run: the original text without trailing semicolons and comments. */
  sql: string;
}

/**
 * The first layer of the read-only guard: accepts exactly one read statement (SELECT, with CTEs
 * and set operations) or throws `forbidden` with the reason. Two independent readings must agree:
 * the dialect's lexer (our tokenizer: no stacked statement, no write keyword, no dangerous
 * function, no executable comment) and node-sql-parser's AST (one `select`, no INTO, no locking
 * clause, no write anywhere inside). The read-only transaction, the timeout and the row cap are the
 * layers after this one; none of them is trusted alone.
 */
export function guardReadOnly(sql: string, dialect: DatabaseDialect): GuardedStatement {
  const lexed = tokenizeSql(sql, dialect);
  if (lexed.unterminated) refuse(`it has an unterminated ${lexed.unterminated}`);
  if (lexed.executableComments.length > 0) refuse('it contains a MySQL executable comment (/*! ... */), which the server runs as code');
  const tokens = lexed.tokens;
  if (tokens.length === 0) refuse('it is empty');

  const semicolon = tokens.findIndex((token) => token.kind === 'punctuation' && token.text === ';');
  if (semicolon !== -1 && tokens.slice(semicolon + 1).some((token) => !(token.kind === 'punctuation' && token.text === ';'))) {
    refuse('it contains more than one statement (stacked statements after a semicolon)');
  }
  const first = tokens[0]!;
  if (!(first.kind === 'word' && ['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(first.upper)) && !(first.kind === 'punctuation' && first.text === '(')) {
    refuse(`only SELECT statements (WITH ... SELECT included) may run; this one starts with ${describe(first)}`);
  }
  checkTokens(tokens);
  checkSyntaxTree(sql, dialect);
  // Up to the last token that is not a semicolon: no trailing `;` or comment to confuse a wrapper (DECLARE ... CURSOR FOR).
  const last = tokens.findLast((token) => !(token.kind === 'punctuation' && token.text === ';'))!;
  return { sql: sql.slice(0, last.end) };
}

function checkTokens(tokens: readonly SqlToken[]): void {
  tokens.forEach((token, index) => {
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    const qualified = before?.kind === 'punctuation' && before.text === '.';
    if (token.kind === 'word' && !qualified) {
      const reason = FORBIDDEN_KEYWORDS.get(token.upper);
      if (reason) refuse(`${token.upper} ${reason}`);
      if (token.upper === 'FOR' && after?.kind === 'word' && LOCKING_AFTER_FOR.has(after.upper)) refuse(`FOR ${after.upper} is a locking clause`);
    }
    if (token.kind === 'punctuation' && token.text === ':=') refuse('it assigns a variable (:=)');
    const callsFunction = after?.kind === 'punctuation' && after.text === '(';
    if ((token.kind === 'word' || token.kind === 'quoted-identifier') && callsFunction) {
      // Every part of a dotted name counts: pg_catalog.pg_sleep(...), dbms_lock.sleep(...).
      for (const part of dottedNameEndingAt(tokens, index)) {
        const reason = forbiddenFunctionReason(part);
        if (reason) refuse(`the function ${part} ${reason}`);
      }
    }
  });
}

function dottedNameEndingAt(tokens: readonly SqlToken[], index: number): string[] {
  const parts = [tokenText(tokens[index]!)];
  let cursor = index - 1;
  while (cursor >= 1 && tokens[cursor]!.kind === 'punctuation' && tokens[cursor]!.text === '.') {
    const part = tokens[cursor - 1]!;
    if (part.kind !== 'word' && part.kind !== 'quoted-identifier') break;
    parts.unshift(tokenText(part));
    cursor -= 2;
  }
  return parts;
}

function checkSyntaxTree(sql: string, dialect: DatabaseDialect): void {
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: PARSER_DATABASE[dialect] });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
    refuse(`it could not be parsed as one ${dialect} read statement (${detail})`, 'Rewrite it in plain SQL: one SELECT, without vendor-specific extensions the guard cannot read.');
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((statement) => statement != null);
  if (statements.length !== 1) refuse(`it contains ${statements.length} statements; exactly one SELECT may run`);
  const statement = statements[0] as { type?: string };
  if (statement.type !== 'select') refuse(`it is a ${String(statement.type).toUpperCase()} statement, not a SELECT`);
  walk(statement, (node, key) => {
    if (typeof node.type === 'string' && WRITE_NODE_TYPES.has(node.type.toLowerCase()) && key !== undefined) refuse(`it contains a ${node.type.toUpperCase()} (for example in a data-modifying CTE)`);
    const into = node.into as { position?: unknown; expr?: unknown } | null | undefined;
    if (into && (into.position != null || into.expr != null)) refuse('SELECT INTO writes its result into a table, variable or file');
    if (node.locking_read != null || node.for_update != null) refuse('it has a locking clause (FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE)');
  });
}

function walk(node: unknown, visit: (node: Record<string, unknown>, key: string | undefined) => void, key?: string, depth = 0): void {
  if (depth > 500) refuse('it is nested too deeply to check');
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, key, depth + 1);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  visit(record, key);
  for (const [childKey, child] of Object.entries(record)) walk(child, visit, childKey, depth + 1);
}

function tokenText(token: SqlToken): string {
  return token.text;
}

function describe(token: SqlToken): string {
  return token.kind === 'word' ? token.upper : `"${token.text.slice(0, 20)}"`;
}

function refuse(reason: string, hint?: string): never {
  throw new ParleyError('forbidden', `Refused: ${reason}.`, {
    hint: hint ?? 'Only one read-only SELECT may run here. Writes, locks, sleeps and file or network functions are refused on every connection.',
    details: { reason },
  });
}
