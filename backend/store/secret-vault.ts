import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ParleyError } from '#protocol';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretSummary {
  name: string;
  updatedAt: string;
}

/**
 * How long a secret read is reused (every turn reads its provider's key). This process drops a copy
 * when it sets or deletes the secret; the bound is for another process writing the same store.
 */
const SECRET_REUSE_MS = 5_000;

/** AES-256-GCM sealing of API keys, passwords and tokens; the name is bound in as associated data. */
export class SecretVault {
  private readonly reads = new Map<string, { value: Promise<string | undefined>; readAt: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly key: Buffer,
  ) {}

  async set(name: string, value: string): Promise<SecretSummary> {
    const updatedAt = new Date().toISOString();
    await this.knex('secrets')
      .insert({ name, sealed: seal(this.key, name, value), updated_at: updatedAt })
      .onConflict('name')
      .merge();
    this.reads.delete(name);
    return { name, updatedAt };
  }

  /** The plain value, or undefined when no such secret exists. */
  get(name: string): Promise<string | undefined> {
    const now = Date.now();
    const cached = this.reads.get(name);
    if (cached && now - cached.readAt <= SECRET_REUSE_MS) return cached.value;
    const value = this.read(name);
    this.reads.set(name, { value, readAt: now });
    value.catch(() => {
      if (this.reads.get(name)?.value === value) this.reads.delete(name);
    });
    return value;
  }

  private async read(name: string): Promise<string | undefined> {
    const row = (await this.knex('secrets').where({ name }).first()) as { sealed: Buffer } | undefined;
    if (!row) return undefined;
    return unseal(this.key, name, row.sealed);
  }

  async list(): Promise<SecretSummary[]> {
    const rows = (await this.knex('secrets').select('name', 'updated_at').orderBy('name')) as Array<{
      name: string;
      updated_at: string;
    }>;
    return rows.map((row) => ({ name: row.name, updatedAt: row.updated_at }));
  }

  async delete(name: string): Promise<boolean> {
    this.reads.delete(name);
    const deleted = (await this.knex('secrets').where({ name }).delete()) > 0;
    this.reads.delete(name);
    return deleted;
  }
}

export function seal(key: Buffer, name: string, value: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function unseal(key: Buffer, name: string, sealed: Buffer): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new ParleyError('unavailable', `Secret "${name}" cannot be decrypted`, {
      hint: 'The secret key changed since it was stored (another PARLEY_SECRET_KEY or key file). Enter the secret again.',
      cause,
    });
  }
}
