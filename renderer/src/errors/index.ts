export { reportError, showErrorDetails, useErrorStore } from './error-store';
export { Toasts } from './Toasts';
export { ErrorDetails } from './ErrorDetails';
