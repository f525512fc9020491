import type { DatabaseDialect } from '#protocol';
import type { SqlToken } from './sql-tokens';
import { checkTokens, checkTree, describeToken, lexOneStatement, parseOneStatement, refuser, statementText } from './statement-checks';

export type WriteStatementKind = 'INSERT' | 'UPDATE' | 'DELETE';

export interface GuardedWrite {
  /** The statement to run: the original text without trailing semicolons and comments. */
  sql: string;
  statement: WriteStatementKind;
  /** UPDATE or DELETE without WHERE changes every row: the approval card says so. */
  everyRow: boolean;
}

const WRITE_KINDS = new Set<string>(['INSERT', 'UPDATE', 'DELETE']);

const refuse = refuser(
  'One INSERT, UPDATE or DELETE may run, after the operator approves it. Schema changes (DDL), several statements, upserts, locks and functions with side effects are refused.',
);

/**
 * The guard for the one kind of write a connection with "allow writes" accepts: exactly one
 * INSERT, UPDATE or DELETE, read twice like a read is (the dialect's lexer, node-sql-parser's
 * AST). Refused: DDL, stacked statements, a second data-modifying statement anywhere inside (a
 * data-modifying CTE, ON CONFLICT DO UPDATE, ON DUPLICATE KEY UPDATE), SELECT INTO or INTO OUTFILE,
 * locking clauses, and every function the read guard refuses (sleeps, files, network, sequences).
 * What it lets through still waits for the operator's approval and runs in a transaction with
 * the statement timeout.
 */
export function guardWrite(sql: string, dialect: DatabaseDialect): GuardedWrite {
  const tokens = lexOneStatement(sql, dialect, refuse);
  const first = tokens[0]!;
  if (!(first.kind === 'word' && WRITE_KINDS.has(first.upper))) {
    refuse(`only one INSERT, UPDATE or DELETE may run as a write; this one starts with ${describeToken(first)}`);
  }
  const statement = (first as { upper: string }).upper as WriteStatementKind;
  if (tokens.some((token, index) => isWord(token, 'ON') && isWord(tokens[index + 1], 'CONFLICT', 'DUPLICATE'))) refuse('an upsert (ON CONFLICT, ON DUPLICATE KEY UPDATE) is two writes in one; write the INSERT or the UPDATE');
  // The statement's own keyword, and INSERT's INTO right after it; any other is a second write or an export.
  const ownKeyword = (token: SqlToken, index: number) => index === 0 || (statement === 'INSERT' && index === 1 && isWord(token, 'INTO'));
  checkTokens(tokens, refuse, ownKeyword);
  const root = parseOneStatement(sql, dialect, refuse, `${statement} statement`);
  if (String(root.type).toUpperCase() !== statement) refuse(`it reads as a ${String(root.type).toUpperCase()} statement, not the ${statement} it starts with`);
  checkTree(root, refuse);
  return { sql: statementText(sql, tokens), statement, everyRow: statement !== 'INSERT' && root.where == null };
}

function isWord(token: SqlToken | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.upper);
}
