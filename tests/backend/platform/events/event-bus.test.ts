import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../../backend/platform/events';

describe('EventBus', () => {
  it('hands each event to the sinks with its topic, and to in-process listeners of that event', () => {
    const bus = new EventBus();
    const delivered: Array<[string, string]> = [];
    const sink = bus.addSink({ deliver: (event, _data, topic) => delivered.push([event, topic]) });
    const heard: string[] = [];
    const listener = bus.on('conversations.changed', (data) => heard.push(data.conversationId));

    bus.publish('conversations.changed', { conversationId: 'c1' });
    bus.publish('agent.turn.delta', { turnId: 't', conversationId: 'c1', text: 'Hi' });
    bus.publish('settings.changed', { key: 'ui.theme', value: 'dark' });
    expect(delivered).toEqual([
      ['conversations.changed', 'conversations'],
      ['agent.turn.delta', 'conversation:c1'],
      ['settings.changed', 'settings'],
    ]);
    expect(heard).toEqual(['c1']);

    listener.dispose();
    sink.dispose();
    bus.publish('conversations.changed', { conversationId: 'c2' });
    expect(heard).toEqual(['c1']);
    expect(delivered).toHaveLength(3);
  });

  it('never publishes a connection-only event on a topic', () => {
    const bus = new EventBus();
    const delivered: string[] = [];
    bus.addSink({ deliver: (event) => delivered.push(event) });
    bus.publish('voice.activity', { streamId: 1, speaking: true });
    expect(delivered).toEqual([]);
  });

  it('throws where a malformed event is made, before anyone receives it', () => {
    const bus = new EventBus();
    const delivered: string[] = [];
    bus.addSink({ deliver: (event) => delivered.push(event) });
    expect(() => bus.publish('conversations.changed', { conversationId: 42 } as never)).toThrow();
    expect(delivered).toEqual([]);
  });
});
