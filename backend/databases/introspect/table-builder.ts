import type { SchemaTable } from '#protocol';

/** Collects tables by a key the dialect chooses (oid, schema.name), then columns, keys and FKs onto them. */
export class TableBuilder<K> {
  private readonly tables = new Map<K, SchemaTable>();

  addTable(key: K, table: Omit<SchemaTable, 'columns' | 'foreignKeys'>): void {
    this.tables.set(key, { ...table, columns: [], foreignKeys: [] });
  }

  get(key: K): SchemaTable | undefined {
    return this.tables.get(key);
  }

  /** Tables sorted by schema then name, the order the browser and the agent see. */
  build(): SchemaTable[] {
    return [...this.tables.values()].sort((a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a.name.localeCompare(b.name));
  }
}

export function toEstimate(value: unknown): number | null {
  const number = Number(value);
  return value === null || value === undefined || !Number.isFinite(number) || number < 0 ? null : Math.round(number);
}
