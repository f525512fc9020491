/** Subscribe with a listener; call the returned function to unsubscribe. */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

/** A minimal typed event source: `event` is public, `fire` stays with the owner. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Subscribe<T> = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        // A failing listener must not leave the owner's state machine half-updated.
        console.error('event listener failed', error);
      }
    }
  }
}
