/**
 * The program a SQLite reader process runs (plain CommonJS, passed to `node -e`). It opens the
 * file read-only with `query_only`, refuses any statement SQLite itself does not call read-only
 * (`stmt.readonly`), and answers one query at a time over IPC. It lives in its own process because
 * SQLite cannot be interrupted from JavaScript: a runaway query is ended by killing the process.
 */
export const SQLITE_READER_SCRIPT = String.raw`
const Database = require(process.env.PARLEY_BETTER_SQLITE3);
let db;
try {
  db = new Database(process.env.PARLEY_SQLITE_FILE, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
} catch (error) {
  process.send({ type: 'failed', message: error.message, code: error.code });
  process.exit(0);
}
process.send({ type: 'ready' });
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  try {
    const statement = db.prepare(message.sql);
    if (!statement.reader) throw Object.assign(new Error('the statement returns no rows'), { code: 'forbidden' });
    if (!statement.readonly) throw Object.assign(new Error('SQLite reports that the statement writes'), { code: 'forbidden' });
    statement.raw(true);
    statement.safeIntegers(true);
    const columns = statement.columns().map((column) => column.name);
    const rows = [];
    let truncated = false;
    for (const row of statement.iterate()) {
      if (rows.length === message.maxRows) { truncated = true; break; }
      rows.push(row);
    }
    process.send({ type: 'result', id: message.id, columns, rows, truncated });
  } catch (error) {
    process.send({ type: 'error', id: message.id, message: error.message, code: error.code });
  }
});
`;
