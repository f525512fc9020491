import { ParleyError, wireErrorSchema } from '#protocol';
import { backendEndpoint } from '../../connection';

/**
 * Downloads a control-API route that needs the token (the support bundle, replay exports): fetched
 * with the bearer header, then saved through a temporary object URL under the server's file name.
 */
export async function downloadFromBackend(path: string, fallbackName: string): Promise<void> {
  const endpoint = await backendEndpoint();
  if (!endpoint) throw new ParleyError('unauthorized', 'Not connected to the backend', { hint: 'Reconnect, then try again.' });
  const response = await fetch(new URL(path, endpoint.url), { headers: { authorization: `Bearer ${endpoint.token}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const wire = wireErrorSchema.safeParse(body?.error);
    throw wire.success ? ParleyError.fromWire(wire.data) : new ParleyError('unavailable', `The download failed with HTTP ${response.status}`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // After the click has handed the blob to the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
