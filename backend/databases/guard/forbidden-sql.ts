/**
 * What a read statement may not contain, whatever the dialect: a function named `sleep` is refused
 * on PostgreSQL too. One list for all dialects keeps it auditable; a false refusal costs a rewrite,
 * a missed one could cost the operator's data.
 */

/** Words that only appear in writes, DDL, locking, file export or procedural code. */
export const FORBIDDEN_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ...['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE'].map((word) => [word, 'modifies data'] as const),
  ...['CREATE', 'DROP', 'ALTER', 'RENAME', 'COMMENT', 'REINDEX', 'VACUUM', 'CLUSTER', 'REFRESH'].map((word) => [word, 'changes the schema or storage'] as const),
  ...['GRANT', 'REVOKE', 'DENY'].map((word) => [word, 'changes permissions'] as const),
  ['INTO', 'writes its result somewhere (SELECT INTO, INTO OUTFILE)'],
  ['OUTFILE', 'writes a file on the server'],
  ['DUMPFILE', 'writes a file on the server'],
  ['COPY', 'reads or writes files or programs on the server'],
  ['LOAD', 'reads files on the server'],
  ['LOCK', 'takes locks'],
  ['UNLOCK', 'releases locks'],
  ['CALL', 'calls a procedure'],
  ['EXEC', 'executes a procedure or dynamic SQL'],
  ['EXECUTE', 'executes a procedure or dynamic SQL'],
  ['PREPARE', 'prepares dynamic SQL'],
  ['DO', 'runs procedural code'],
  ['BEGIN', 'controls transactions'],
  ['COMMIT', 'controls transactions'],
  ['ROLLBACK', 'controls transactions'],
  ['SAVEPOINT', 'controls transactions'],
  ['ATTACH', 'opens another database file'],
  ['DETACH', 'closes a database file'],
  ['PRAGMA', 'changes SQLite settings'],
  ['WAITFOR', 'waits on the server (WAITFOR DELAY)'],
  ['SHUTDOWN', 'stops the server'],
  ['KILL', 'ends server sessions'],
  ['HANDLER', 'opens a low-level table handler'],
  ['LISTEN', 'subscribes to notifications'],
  ['NOTIFY', 'sends notifications'],
  ['DISCARD', 'resets the session'],
  ['RESET', 'resets settings'],
  ['DECLARE', 'declares procedural variables or cursors'],
  ['OPENROWSET', 'reads remote data or files'],
  ['OPENDATASOURCE', 'reads remote data'],
  ['OPENQUERY', 'runs a query on a linked server'],
  ['BULK', 'reads files on the server'],
]);

/** `FOR` followed by one of these is a locking clause (FOR UPDATE is caught by UPDATE). */
export const LOCKING_AFTER_FOR = new Set(['SHARE', 'KEY', 'NO']);

/** Functions with side effects, sleeps, file or network access, or that run SQL given as a string. */
const FORBIDDEN_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...['pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'sleep', 'benchmark', 'dbms_lock', 'dbms_session', 'master_pos_wait', 'source_pos_wait', 'wait_for_executed_gtid_set', 'wait_until_sql_thread_after_gtids'].map(
    (name) => [name, 'sleeps or waits on the server'] as const,
  ),
  ...['pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'lo_import', 'lo_export', 'load_file', 'readfile', 'writefile', 'edit', 'fsdir', 'zipfile', 'sqlar_uncompress', 'utl_file', 'pg_file_write', 'pg_file_unlink', 'pg_file_rename', 'pg_logdir_ls'].map(
    (name) => [name, 'reads or writes files on the server'] as const,
  ),
  ...['dblink', 'dblink_exec', 'dblink_connect', 'dblink_send_query', 'utl_http', 'utl_tcp', 'utl_smtp', 'utl_inaddr', 'httpuritype', 'dbms_ldap', 'sys_exec', 'sys_eval', 'xp_cmdshell', 'load_extension'].map(
    (name) => [name, 'reaches the network or runs programs'] as const,
  ),
  ...['query_to_xml', 'query_to_xml_and_xmlschema', 'query_to_xmlschema', 'cursor_to_xml', 'dbms_xmlgen', 'dbms_sql', 'xmltype', 'sp_executesql'].map((name) => [name, 'runs SQL given as a string'] as const),
  ...['set_config', 'nextval', 'setval', 'txid_current', 'pg_current_xact_id', 'pg_notify', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_switch_wal', 'pg_promote', 'pg_create_restore_point', 'pg_logical_emit_message', 'get_lock', 'release_lock', 'release_all_locks', 'is_used_lock', 'dbms_pipe', 'dbms_scheduler', 'dbms_job', 'fts3_tokenizer', 'lo_unlink', 'lo_create', 'lo_creat', 'lo_open', 'lo_put', 'lo_from_bytea', 'lowrite', 'lo_truncate'].map(
    (name) => [name, 'has side effects (settings, sequences, locks, sessions)'] as const,
  ),
]);

/** Families refused by prefix: advisory locks, directory listings, replication, large objects, Oracle packages. */
const FORBIDDEN_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['pg_advisory', 'takes advisory locks'],
  ['pg_try_advisory', 'takes advisory locks'],
  ['pg_ls_', 'lists directories on the server'],
  ['pg_read_', 'reads files on the server'],
  ['pg_file_', 'writes files on the server'],
  ['pg_replication_', 'changes replication state'],
  ['pg_create_', 'creates server objects'],
  ['pg_drop_', 'drops server objects'],
  ['pg_import_', 'imports system state'],
  ['lo_', 'touches large objects'],
  ['dblink', 'reaches other databases'],
  ['xp_', 'runs an extended procedure'],
  ['sp_', 'runs a system procedure'],
  ['utl_', 'reaches files or the network'],
  ['dbms_', 'runs an Oracle system package'],
];

/** Why a function may not be called, or undefined when it may. `name` is one part of a dotted name, any case. */
export function forbiddenFunctionReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  const exact = FORBIDDEN_FUNCTIONS.get(lower);
  if (exact) return exact;
  return FORBIDDEN_PREFIXES.find(([prefix]) => lower.startsWith(prefix))?.[1];
}
