/** A minimal typed event list: `add` returns the function that removes the listener. */
export class Listeners<T> {
  private readonly fns = new Set<(value: T) => void>();

  add(fn: (value: T) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  emit(value: T): void {
    for (const fn of this.fns) {
      try {
        fn(value);
      } catch {
        // A failing metrics listener must never break an RPC call.
      }
    }
  }
}
