import { randomUUID } from 'node:crypto';

/** A message the stand-in accepted, as the simulator's chat shows it. */
export interface StandInMessage {
  providerId: string;
  to: string;
  body: Record<string, unknown>;
}

/**
 * A built-in stand-in for Meta's Graph API, served in process as a `fetch`: the simulator contact's
 * replies go through the real Graph client (request building, media upload, error classification)
 * into it. It accepts messages, read marks and media uploads, serves stored media, and reports each
 * sent message back as delivered and read, the way Meta's status webhooks would.
 */
export class GraphStandIn {
  private readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();

  constructor(private readonly onSent: (message: StandInMessage) => void) {}

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const path = new URL(url).pathname.split('/').filter(Boolean);
    const last = path[path.length - 1];
    if (init.method === 'POST' && last === 'media') {
      const form = init.body instanceof FormData ? init.body : undefined;
      const file = form?.get('file');
      if (!(file instanceof Blob)) return Response.json({ error: { code: 100, message: 'The upload has no file part' } }, { status: 400 });
      return Response.json({ id: this.storeMedia(Buffer.from(await file.arrayBuffer()), file.type || 'application/octet-stream') });
    }
    if (init.method === 'POST' && last === 'messages') {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      if (body.status === 'read') return Response.json({ success: true });
      const providerId = `wamid.simulator.${randomUUID()}`;
      this.onSent({ providerId, to: String(body.to), body });
      return Response.json({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: providerId }] });
    }
    if (path[0] === 'media') {
      const stored = this.media.get(path[1] ?? '');
      return stored ? new Response(new Uint8Array(stored.bytes), { headers: { 'content-type': stored.mimeType } }) : Response.json({ error: { code: 100, message: 'Unknown media' } }, { status: 404 });
    }
    if (init.method === 'GET' && path.length === 2) {
      const stored = this.media.get(path[1]!);
      if (!stored) return Response.json({ error: { code: 100, message: 'Unknown media id' } }, { status: 404 });
      return Response.json({ id: path[1], url: `http://graph.simulator/media/${path[1]}`, mime_type: stored.mimeType, file_size: stored.bytes.length });
    }
    return Response.json({ error: { code: 100, message: `The Graph stand-in does not serve ${init.method ?? 'GET'} ${url}` } }, { status: 400 });
  };

  /** Keeps media the simulator contact "uploaded" (a recorded voice note), or that the bridge uploaded, for download by id. */
  storeMedia(bytes: Buffer, mimeType: string): string {
    const id = `simulator-media-${randomUUID()}`;
    this.media.set(id, { bytes, mimeType });
    // A simulator session is short; keep the last few hundred, not everything ever recorded.
    if (this.media.size > 200) this.media.delete(this.media.keys().next().value!);
    return id;
  }
}
