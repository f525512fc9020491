/** The bottom layer: runtime-free helpers every other layer may use, one copy each. */
export { toDisposable, DisposableStore, ListenerSet, type Disposable } from './disposable';
export { Slot } from './slot';
export { raceAbort, isAbortError, isTimeoutReason } from './abort';
export { toParleyError } from './errors';
export { hmacSignatureMatches } from './hmac-signature';
export { readBodyWithin } from './read-within';
