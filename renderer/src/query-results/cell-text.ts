/** A result cell as the tables show it: NULL spelled out, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
}
