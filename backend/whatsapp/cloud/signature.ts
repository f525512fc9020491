import { createHmac } from 'node:crypto';

/** The header value Meta sends for these bytes (the simulator signs its messages with it). */
export function cloudSignature(raw: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
