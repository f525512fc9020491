export type Listener<T> = (value: T) => void;

/** Subscribers to one kind of event; `add` returns the way to unsubscribe. */
export class ListenerSet<T> {
  private readonly listeners = new Set<Listener<T>>();

  add(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch {
        // A subscriber that fails (a broadcast to a closed socket) must not fail the download it watches.
      }
    }
  }
}
