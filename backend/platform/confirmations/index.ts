/** Calls that change things wait here for a person's yes, whichever capability asks and channel answers. */
export { ConfirmationCenter, type ConfirmationPresenter, type ConfirmationRequest } from './confirmation-center';
