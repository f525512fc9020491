import { createRequire } from 'node:module';
import type * as NodeSqlParser from 'node-sql-parser';
import { ParleyError, type DatabaseDialect } from '#protocol';
import { FORBIDDEN_KEYWORDS, forbiddenFunctionReason, LOCKING_AFTER_FOR } from './forbidden-sql';
import { tokenizeSql, type SqlToken } from './sql-tokens';

/**
 * node-sql-parser's grammar per dialect. It has none for Oracle: of its fourteen grammars DB2's
 * reads the most Oracle reads (FETCH FIRST, OFFSET ... ROWS, DUAL, ROWNUM, NVL, DECODE, MINUS,
 * DATE and INTERVAL literals); what it cannot read is refused (README, Databases).
 */
const PARSER_DATABASE: Record<DatabaseDialect, string> = {
  sqlite: 'sqlite',
  postgres: 'postgresql',
  mysql: 'mysql',
  mssql: 'transactsql',
  oracle: 'db2',
};

/** Statement types that change something; a read contains none, a write exactly one (its root). */
export const WRITE_NODE_TYPES = new Set(['insert', 'update', 'delete', 'replace', 'merge', 'create', 'drop', 'alter', 'truncate', 'rename', 'grant', 'revoke', 'lock', 'unlock', 'call', 'exec', 'execute', 'set', 'load_data', 'declare', 'transaction']);

// node-sql-parser is CommonJS whose exports Node's ESM loader cannot name: required, not imported.
const { Parser } = createRequire(import.meta.url)('node-sql-parser') as typeof NodeSqlParser;
const parser = new Parser();

export type Refuse = (reason: string, hint?: string) => never;

/** The first reading: the dialect's lexer. One statement (trailing semicolons aside), nothing unterminated or hidden in an executable comment. */
export function lexOneStatement(sql: string, dialect: DatabaseDialect, refuse: Refuse): SqlToken[] {
  const lexed = tokenizeSql(sql, dialect);
  if (lexed.unterminated) refuse(`it has an unterminated ${lexed.unterminated}`);
  if (lexed.executableComments.length > 0) refuse('it contains a MySQL executable comment (/*! ... */), which the server runs as code');
  const tokens = lexed.tokens;
  if (tokens.length === 0) refuse('it is empty');
  const semicolon = tokens.findIndex((token) => token.kind === 'punctuation' && token.text === ';');
  if (semicolon !== -1 && tokens.slice(semicolon + 1).some((token) => !(token.kind === 'punctuation' && token.text === ';'))) {
    refuse('it contains more than one statement (stacked statements after a semicolon)');
  }
  return tokens;
}

/**
 * Every forbidden keyword, locking clause, assignment and dangerous function call in the tokens.
 * `allowed(token, index)` lets a write's own keywords through (its leading UPDATE, INSERT's INTO).
 */
export function checkTokens(tokens: readonly SqlToken[], refuse: Refuse, allowed: (token: SqlToken, index: number) => boolean = () => false): void {
  tokens.forEach((token, index) => {
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    const qualified = before?.kind === 'punctuation' && before.text === '.';
    if (token.kind === 'word' && !qualified && !allowed(token, index)) {
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

/** The second reading: node-sql-parser's AST of exactly one statement, or a refusal saying it could not be read. */
export function parseOneStatement(sql: string, dialect: DatabaseDialect, refuse: Refuse, expected: string): Record<string, unknown> {
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: PARSER_DATABASE[dialect] });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
    refuse(`it could not be parsed as one ${dialect} ${expected} (${detail})`, 'Rewrite it in plain SQL, without vendor-specific extensions the guard cannot read.');
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((statement) => statement != null);
  if (statements.length !== 1) refuse(`it contains ${statements.length} statements; exactly one may run`);
  return statements[0] as Record<string, unknown>;
}

/**
 * Below the root: no statement that changes anything (a data-modifying CTE, ON CONFLICT DO
 * UPDATE), no SELECT INTO, no locking clause.
 */
export function checkTree(root: Record<string, unknown>, refuse: Refuse): void {
  walk(root, refuse, (node, key) => {
    if (typeof node.type === 'string' && WRITE_NODE_TYPES.has(node.type.toLowerCase()) && key !== undefined) refuse(`it contains a ${node.type.toUpperCase()} inside the statement (for example in a data-modifying CTE)`);
    const into = node.into as { position?: unknown; expr?: unknown } | null | undefined;
    if (into && typeof into === 'object' && (into.position != null || into.expr != null)) refuse('SELECT INTO writes its result into a table, variable or file');
    if (node.locking_read != null || node.for_update != null) refuse('it has a locking clause (FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE)');
  });
}

/** The statement to run: up to its last token that is not a semicolon (no trailing `;` or comment to confuse a wrapper). */
export function statementText(sql: string, tokens: readonly SqlToken[]): string {
  const last = tokens.findLast((token) => !(token.kind === 'punctuation' && token.text === ';'))!;
  return sql.slice(0, last.end);
}

export function describeToken(token: SqlToken): string {
  return token.kind === 'word' ? token.upper : `"${token.text.slice(0, 20)}"`;
}

/** A refusal with this hint unless the check gives its own. */
export function refuser(defaultHint: string): Refuse {
  return (reason, hint) => {
    throw new ParleyError('forbidden', `Refused: ${reason}.`, { hint: hint ?? defaultHint, details: { reason } });
  };
}

function dottedNameEndingAt(tokens: readonly SqlToken[], index: number): string[] {
  const parts = [tokens[index]!.text];
  let cursor = index - 1;
  while (cursor >= 1 && tokens[cursor]!.kind === 'punctuation' && tokens[cursor]!.text === '.') {
    const part = tokens[cursor - 1]!;
    if (part.kind !== 'word' && part.kind !== 'quoted-identifier') break;
    parts.unshift(part.text);
    cursor -= 2;
  }
  return parts;
}

function walk(node: unknown, refuse: Refuse, visit: (node: Record<string, unknown>, key: string | undefined) => void, key?: string, depth = 0): void {
  if (depth > 500) refuse('it is nested too deeply to check');
  if (Array.isArray(node)) {
    for (const item of node) walk(item, refuse, visit, key, depth + 1);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  visit(record, key);
  for (const [childKey, child] of Object.entries(record)) walk(child, refuse, visit, childKey, depth + 1);
}
