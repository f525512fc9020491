/** The chart time ranges, each with the slot size that keeps it under ~100 points. */
export interface TimeRange {
  id: '15m' | '1h' | '24h' | '7d';
  label: string;
  spanMs: number;
  stepMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const TIME_RANGES: readonly TimeRange[] = [
  { id: '15m', label: '15 min', spanMs: 15 * MINUTE, stepMs: MINUTE },
  { id: '1h', label: '1 h', spanMs: HOUR, stepMs: MINUTE },
  { id: '24h', label: '24 h', spanMs: 24 * HOUR, stepMs: 15 * MINUTE },
  { id: '7d', label: '7 d', spanMs: 7 * 24 * HOUR, stepMs: 2 * HOUR },
];

/** The window ending with the slot that holds `now` (so the newest events are in the last point). */
export function windowFor(range: TimeRange, now: number): { from: number; to: number; step: number } {
  const to = (Math.floor(now / range.stepMs) + 1) * range.stepMs;
  return { from: to - range.spanMs, to, step: range.stepMs };
}

/** A slot's label on the x axis: time of day, with the date for ranges longer than a day. */
export function slotLabel(t: number, range: TimeRange): string {
  const date = new Date(t);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return range.spanMs > 24 * HOUR ? `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}` : time;
}
