import { databaseExportPath, ParleyError, wireErrorSchema } from '#protocol';
import { backendEndpoint } from '../../connection';

/**
 * The whole result of `sql` as a CSV file: the backend runs it again through the guard and streams
 * every row (past the panel's row cap) with the one CSV encoder; the console only saves the file.
 */
export async function downloadCsvExport(connection: string, sql: string): Promise<void> {
  const endpoint = await backendEndpoint();
  if (!endpoint) throw new ParleyError('unauthorized', 'Not connected to the backend');
  const response = await fetch(new URL(databaseExportPath, endpoint.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ connection, sql }),
  });
  if (!response.ok) {
    const wire = wireErrorSchema.safeParse(((await response.json().catch(() => null)) as { error?: unknown } | null)?.error);
    throw wire.success ? ParleyError.fromWire(wire.data) : new ParleyError('unavailable', `The export failed (HTTP ${response.status})`);
  }
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `${connection}-export.csv`;
    link.click();
  } finally {
    // After the click has handed the blob to the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
