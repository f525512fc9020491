const MAX = 64;

/** A tool name from an operationId (or method and path when it has none): letters, digits, _ and - only, at most 64. */
export function toolNameFor(operationId: string | undefined, method: string, path: string): string {
  const raw = operationId?.trim() || `${method}_${path.replace(/\{([^}]+)\}/g, 'by_$1')}`;
  const sanitised = raw
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return (sanitised || method).slice(0, MAX);
}

/** The name itself, or with _2, _3... when taken (two operations sanitise to one name). */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let index = 2; ; index++) {
    const suffix = `_${index}`;
    const candidate = name.slice(0, MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
