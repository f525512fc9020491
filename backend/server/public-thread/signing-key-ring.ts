import type { WebhookSigningKeys } from '../../platform/http';

/** The webhooks' signing keys as capabilities set them; the running thread hears of each change. */
export class SigningKeyRing implements WebhookSigningKeys {
  private readonly keys = new Map<string, string | undefined>();
  private listener: ((path: string, key: string | undefined) => void) | undefined;

  set(path: string, key: string | undefined): void {
    this.keys.set(path, key || undefined);
    this.listener?.(path, key || undefined);
  }

  entries(): Array<[string, string | undefined]> {
    return [...this.keys];
  }

  onChange(listener: ((path: string, key: string | undefined) => void) | undefined): void {
    this.listener = listener;
  }
}
