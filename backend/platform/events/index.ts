/** Events by topic, and each console connection's own channel. */
export { EventBus, type PublishEvent, type EventSink } from './event-bus';
export type { ConnectionChannel } from './connection-channel';
