import type { DatabaseDialect } from '#protocol';
import { checkTokens, checkTree, describeToken, lexOneStatement, parseOneStatement, refuser, statementText } from './statement-checks';

export interface GuardedStatement {
  /** The statement to run: the original text without trailing semicolons and comments. */
  sql: string;
}

const refuse = refuser('Only one read-only SELECT may run here. Writes, locks, sleeps and file or network functions are refused on every connection.');

/**
 * The first layer of the read-only guard: accepts exactly one read statement (SELECT, with CTEs
 * and set operations) or throws `forbidden` with the reason. Two independent readings must agree:
 * the dialect's lexer (our tokenizer: no stacked statement, no write keyword, no dangerous
 * function, no executable comment) and node-sql-parser's AST (one `select`, no INTO, no locking
 * clause, no write anywhere inside). The read-only transaction, the timeout and the row cap are the
 * layers after this one; none of them is trusted alone.
 */
export function guardReadOnly(sql: string, dialect: DatabaseDialect): GuardedStatement {
  const tokens = lexOneStatement(sql, dialect, refuse);
  const first = tokens[0]!;
  if (!(first.kind === 'word' && ['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(first.upper)) && !(first.kind === 'punctuation' && first.text === '(')) {
    refuse(`only SELECT statements (WITH ... SELECT included) may run; this one starts with ${describeToken(first)}`);
  }
  checkTokens(tokens, refuse);
  const statement = parseOneStatement(sql, dialect, refuse, 'read statement');
  if (statement.type !== 'select') refuse(`it is a ${String(statement.type).toUpperCase()} statement, not a SELECT`);
  checkTree(statement, refuse);
  return { sql: statementText(sql, tokens) };
}
