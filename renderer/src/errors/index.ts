export { reportError, showErrorDetails, useErrorStore, type ErrorRemedy } from './error-store';
export { Toasts } from './Toasts';
export { ErrorDetails } from './ErrorDetails';
