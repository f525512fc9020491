/** Something that holds a resource (a registration, a listener, a subscription) until disposed. */
export interface Disposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): Disposable {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      dispose();
    },
  };
}

/** Holds many disposables and releases them together, newest first (the reverse of acquisition). */
export class DisposableStore implements Disposable {
  private readonly held: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(disposable: T): T {
    if (this.disposed) {
      disposable.dispose();
      return disposable;
    }
    this.held.push(disposable);
    return disposable;
  }

  dispose(): void {
    this.disposed = true;
    for (const disposable of this.held.splice(0).reverse()) disposable.dispose();
  }
}

/** A set of listeners, each removable by the disposable `add` returns. */
export class ListenerSet<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>();

  /** With `onListenerError`, a listener that throws is reported and the others still hear the event. */
  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  add(listener: (...args: A) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  emit(...args: A): void {
    for (const listener of [...this.listeners]) {
      if (!this.onListenerError) {
        listener(...args);
        continue;
      }
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
