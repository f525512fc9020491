import type { DatabaseDialect } from '#protocol';

/** A token and where it ends in the source (comments and spaces between tokens are skipped). */
export type SqlToken = { end: number } & (
  | { kind: 'word'; text: string; upper: string }
  | { kind: 'quoted-identifier'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'punctuation'; text: string }
);

export interface TokenizedSql {
  tokens: SqlToken[];
  /** Comments the database itself would execute (MySQL's `/*! ... *\/`). */
  executableComments: string[];
  /** A string, quoted identifier or comment that never closes. */
  unterminated: string | undefined;
}

/**
 * Splits SQL into tokens the way the dialect's own lexer would, so the guard sees what the server
 * will run: comments and string contents are not code, and what a dialect does treat as code
 * (MySQL's executable comments, `--` not followed by a space) is not hidden from the checks.
 */
export function tokenizeSql(sql: string, dialect: DatabaseDialect): TokenizedSql {
  const tokens: SqlToken[] = [];
  const executableComments: string[] = [];
  const mysql = dialect === 'mysql';
  let index = 0;
  const length = sql.length;
  const fail = (what: string): TokenizedSql => ({ tokens, executableComments, unterminated: what });

  while (index < length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    // Line comments: `--` (MySQL only when a space or control character follows) and MySQL's `#`.
    if ((char === '-' && next === '-' && (!mysql || next === undefined || /[\s\p{Cc}]/u.test(sql[index + 2] ?? ' '))) || (mysql && char === '#')) {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
      continue;
    }
    if (char === '/' && next === '*') {
      const start = index;
      // PostgreSQL nests block comments; the others end at the first `*/`.
      let depth = 1;
      index += 2;
      while (index < length && depth > 0) {
        if (dialect === 'postgres' && sql[index] === '/' && sql[index + 1] === '*') {
          depth++;
          index += 2;
        } else if (sql[index] === '*' && sql[index + 1] === '/') {
          depth--;
          index += 2;
        } else index++;
      }
      if (depth > 0) return fail('block comment');
      const comment = sql.slice(start, index);
      if (mysql && comment.startsWith('/*!')) executableComments.push(comment);
      continue;
    }
    if (char === "'" || (char === '"' && mysql)) {
      // PostgreSQL reads backslash escapes only in E'...' strings (the E right before the quote).
      const backslashEscapes = mysql || (dialect === 'postgres' && /(?:^|[^\p{L}\p{N}_$])[eE]$/u.test(sql.slice(Math.max(0, index - 2), index)));
      const end = closingQuote(sql, index, char, backslashEscapes);
      if (end === -1) return fail('string literal');
      tokens.push({ kind: 'string', text: sql.slice(index, end + 1), end: end + 1 });
      index = end + 1;
      continue;
    }
    if (dialect === 'postgres' && char === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index));
      if (tag) {
        const end = sql.indexOf(tag[0], index + tag[0].length);
        if (end === -1) return fail('dollar-quoted string');
        tokens.push({ kind: 'string', text: sql.slice(index, end + tag[0].length), end: end + tag[0].length });
        index = end + tag[0].length;
        continue;
      }
    }
    if (char === '"' || char === '`' || (char === '[' && (dialect === 'mssql' || dialect === 'sqlite'))) {
      const close = char === '[' ? ']' : char;
      const end = closingQuote(sql, index, close, false, char === '[');
      if (end === -1) return fail('quoted identifier');
      tokens.push({ kind: 'quoted-identifier', text: sql.slice(index + 1, end).replaceAll(close + close, close), end: end + 1 });
      index = end + 1;
      continue;
    }
    const word = /^[\p{L}_][\p{L}\p{N}_$#@]*/u.exec(sql.slice(index, index + 256));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], upper: word[0].toUpperCase(), end: index + word[0].length });
      index += word[0].length;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(index, index + 128));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], end: index + number[0].length });
      index += number[0].length;
      continue;
    }
    const pair = sql.slice(index, index + 2);
    if (pair === '::' || pair === ':=' || pair === '@@' || pair === '||' || pair === '<>' || pair === '!=' || pair === '<=' || pair === '>=') {
      tokens.push({ kind: 'punctuation', text: pair, end: index + 2 });
      index += 2;
      continue;
    }
    tokens.push({ kind: 'punctuation', text: char, end: index + 1 });
    index++;
  }
  return { tokens, executableComments, unterminated: undefined };
}

/** Index of the quote closing the one at `start` (a doubled quote is an escaped one), or -1. */
function closingQuote(sql: string, start: number, quote: string, backslashEscapes: boolean, bracket = false): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index]!;
    if (backslashEscapes && char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) {
      if (sql[index + 1] === quote && !(bracket && quote !== ']')) {
        index += 2;
        continue;
      }
      return index;
    }
    index++;
  }
  return -1;
}
