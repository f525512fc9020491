/**
 * The program one approved SQLite write runs in (plain CommonJS, passed to `node -e`): it opens the
 * file for writing, refuses a statement SQLite calls read-only (better-sqlite3 itself refuses a
 * second statement in the text), runs it in a transaction, reports the changed rows and exits. A
 * process per write: writes are rare (each one approved by a person) and killing it is how a
 * timeout or a stopped turn ends it, with nothing committed.
 */
export const SQLITE_WRITER_SCRIPT = String.raw`
const Database = require(process.env.PARLEY_BETTER_SQLITE3);
const reply = (message) => process.send(message, () => process.exit(0));
process.once('message', (message) => {
  let db;
  try {
    db = new Database(process.env.PARLEY_SQLITE_FILE, { fileMustExist: true, timeout: message.busyMs });
    const statement = db.prepare(message.sql);
    if (statement.readonly) throw Object.assign(new Error('SQLite reports that the statement does not write'), { code: 'forbidden' });
    const changes = db.transaction(() => (statement.reader ? statement.all().length : statement.run().changes))();
    db.close();
    reply({ type: 'result', changes });
  } catch (error) {
    try { db && db.close(); } catch {}
    reply({ type: 'error', message: error.message, code: error.code });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
`;
