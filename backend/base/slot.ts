import { toDisposable, type Disposable } from './disposable';

/**
 * A place one module provides a service in and others use it from, without importing each other:
 * the documents capability provides its intake, the WhatsApp bridge hands PDFs to whatever is there.
 */
export class Slot<T> {
  private value: T | undefined;

  provide(value: T): Disposable {
    if (this.value !== undefined) throw new Error('This slot already has a provider');
    this.value = value;
    return toDisposable(() => {
      if (this.value === value) this.value = undefined;
    });
  }

  get current(): T | undefined {
    return this.value;
  }
}
