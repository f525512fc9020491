import type { LogEntry, LogLevel } from '#protocol';

const LEVEL_RANK: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Lines logged by the platform (transports, store, job queue) carry no component binding. */
export const PLATFORM_COMPONENT = 'backend';

export interface LogFilter {
  minLevel: LogLevel;
  component?: string;
  search?: string;
}

/** A line of a log file, as pino wrote it (numeric level, the fields at the top level). */
export function fromPinoLine(record: Record<string, unknown>): LogEntry {
  const { time, level, msg, pid: _pid, hostname: _hostname, ...fields } = record;
  return fromRecentEntry({
    time: typeof time === 'number' ? time : 0,
    level: typeof level === 'number' ? (LEVEL_NAMES[level] ?? String(level)) : String(level ?? 'info'),
    msg: typeof msg === 'string' ? msg : '',
    fields,
  });
}

/** A line of the in-memory ring (the component is still one of its fields). */
export function fromRecentEntry(entry: { time: number; level: string; msg: string; fields: Record<string, unknown> }): LogEntry {
  const { component, ...fields } = entry.fields;
  return { time: entry.time, level: entry.level, component: typeof component === 'string' ? component : PLATFORM_COMPONENT, msg: entry.msg, fields };
}

/** Whether a line passes the level, component and text filters (text: message or any field, any case). */
export function logMatcher(filter: LogFilter): (entry: LogEntry) => boolean {
  const minRank = LEVEL_RANK[filter.minLevel] ?? 0;
  const needle = filter.search?.trim().toLowerCase();
  return (entry) => {
    if ((LEVEL_RANK[entry.level] ?? 0) < minRank) return false;
    if (filter.component && entry.component !== filter.component) return false;
    if (!needle) return true;
    if (entry.msg.toLowerCase().includes(needle)) return true;
    return JSON.stringify(entry.fields).toLowerCase().includes(needle);
  };
}
