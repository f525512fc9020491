import { eventTopic, events, type EventData, type EventName } from '#protocol';
import { ListenerSet, type Disposable } from '../../base';

/** Publishes an event on its topic (see protocol/topics.ts). */
export type PublishEvent = <E extends EventName>(event: E, data: EventData<E>) => void;

/** Where published events go besides in-process listeners: the socket server, filtering by each socket's topics. */
export interface EventSink {
  deliver(event: EventName, data: unknown, topic: string): void;
}

/**
 * The backend's events by topic. A capability publishes; in-process listeners (another
 * capability, diagnostics) hear the events they registered for; sinks (the socket server) pass
 * each event on only to the consoles subscribed to its topic.
 */
export class EventBus {
  private readonly listeners = new Map<EventName, ListenerSet<[unknown]>>();
  private readonly sinks = new ListenerSet<[EventName, unknown, string]>();

  readonly publish: PublishEvent = (event, data) => {
    // A malformed event is a bug in the backend: fail where it is made, not in every console.
    events[event].parse(data);
    const topic = eventTopic(event, data);
    this.listeners.get(event)?.emit(data);
    if (topic !== undefined) this.sinks.emit(event, data, topic);
  };

  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new ListenerSet()));
    return set.add(listener as (data: unknown) => void);
  }

  addSink(sink: EventSink): Disposable {
    return this.sinks.add((event, data, topic) => sink.deliver(event, data, topic));
  }
}
