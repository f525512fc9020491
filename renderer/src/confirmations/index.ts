/** Approval of calls that change things, shown where the operator is: the conversation and the Actions panel. */
export { ConfirmationCards } from './ConfirmationCards';
export { usePendingConfirmations } from './use-pending-confirmations';
