import { afterEach, describe, expect, it } from 'vitest';
import type { ControlClient } from '../../../renderer/src/connection/control-client';
import { connectedFakeClient, nextTick, waitFor, type FakeSocket } from './fake-socket';

const topicRequests = (socket: FakeSocket) =>
  socket.requests.filter((r) => r.method.startsWith('events.')).map((r) => ({ method: r.method, topics: r.params.topics }));

describe('ControlClient topic subscriptions', () => {
  let client: ControlClient | undefined;

  afterEach(() => {
    client?.stop();
    client = undefined;
  });

  it('sends one subscribe for the topics taken in the same tick', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const socket = connected.sockets[0]!;
    client.subscribe('conversations');
    client.subscribe('conversation:abc');
    client.subscribe('speech.models');
    expect(topicRequests(socket)).toEqual([]);
    await nextTick();
    expect(topicRequests(socket)).toEqual([{ method: 'events.subscribe', topics: ['conversations', 'conversation:abc', 'speech.models'] }]);
  });

  it('counts holders: a second holder sends nothing, the last release unsubscribes', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const socket = connected.sockets[0]!;
    const first = client.subscribe('conversations');
    await nextTick();
    const second = client.subscribe('conversations');
    await nextTick();
    expect(topicRequests(socket)).toHaveLength(1);

    first();
    first(); // releasing twice counts once
    await nextTick();
    expect(topicRequests(socket)).toHaveLength(1);
    expect(client.heldTopics).toEqual(['conversations']);

    second();
    await nextTick();
    expect(topicRequests(socket)).toEqual([
      { method: 'events.subscribe', topics: ['conversations'] },
      { method: 'events.unsubscribe', topics: ['conversations'] },
    ]);
    expect(client.heldTopics).toEqual([]);
  });

  it('sends nothing for a topic released and taken again in the same tick (a re-rendered panel)', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const socket = connected.sockets[0]!;
    const release = client.subscribe('settings');
    await nextTick();
    release();
    client.subscribe('settings');
    const passing = client.subscribe('conversations');
    passing();
    await nextTick();
    expect(topicRequests(socket)).toEqual([{ method: 'events.subscribe', topics: ['settings'] }]);
  });

  it('sends a pending subscription before a request made after it, so the events it causes arrive', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const socket = connected.sockets[0]!;
    client.subscribe('conversation:abc');
    void client.request('system.ping', {}).catch(() => undefined);
    expect(socket.requests.map((r) => r.method)).toEqual(['events.subscribe', 'system.ping']);
    await nextTick();
    expect(topicRequests(socket)).toHaveLength(1);
  });

  it('subscribes every held topic again after a reconnect, and nothing while offline', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const { sockets } = connected;
    client.subscribe('settings');
    const conversation = client.subscribe('conversation:abc');
    await nextTick();
    sockets[0]!.answerAll();

    sockets[0]!.drop();
    expect(client.status.state).toBe('reconnecting');
    conversation();
    client.subscribe('conversations');
    await nextTick();
    expect(topicRequests(sockets[0]!)).toHaveLength(1);

    client.retryNow();
    await waitFor(() => sockets.length === 2);
    expect(topicRequests(sockets[1]!)).toEqual([]);
    sockets[1]!.hello('connection-2');
    expect(topicRequests(sockets[1]!)).toEqual([{ method: 'events.subscribe', topics: ['settings', 'conversations'] }]);
    await nextTick();
    expect(topicRequests(sockets[1]!)).toHaveLength(1);
  });

  it('holds topics taken before the first connection and subscribes them on the hello', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    client.stop();
    client.subscribe('settings');
    await nextTick();
    client.retryNow();
    await waitFor(() => connected.sockets.length === 2);
    connected.sockets[1]!.hello();
    expect(topicRequests(connected.sockets[1]!)).toEqual([{ method: 'events.subscribe', topics: ['settings'] }]);
  });

  it('splits a large set of topics into requests the backend accepts (64 topics each)', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    for (let i = 0; i < 70; i++) client.subscribe(`conversation:c${i}`);
    await nextTick();
    expect(topicRequests(connected.sockets[0]!).map((r) => (r.topics as string[]).length)).toEqual([64, 6]);
  });

  it('reports a refused subscription as a notice, and refuses a malformed topic at once', async () => {
    const connected = await connectedFakeClient();
    client = connected.client;
    const socket = connected.sockets[0]!;
    const notices: string[] = [];
    client.onNotice((error) => notices.push(`${error.code}: ${error.message}`));
    client.subscribe('conversations');
    await nextTick();
    const request = socket.requests.at(-1)!;
    socket.receive({ kind: 'response', id: request.id, ok: false, error: { code: 'bad_request', message: 'too many topics' } });
    await waitFor(() => notices.length === 1);
    expect(notices[0]).toBe('bad_request: Live updates for conversations could not be turned on: too many topics');
    expect(() => client!.subscribe('Not A Topic!')).toThrow(/not a topic/);
  });
});
