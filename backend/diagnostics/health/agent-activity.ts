import type { AgentActivity } from '#protocol';
import { DisposableStore, type Disposable } from '../../base';
import type { EventBus } from '../../platform/events';

/** A turn whose end never came (events lost in a crash of its channel) stops counting after this. */
const STALE_TURN_MS = 10 * 60 * 1000;

interface RunningTurn {
  startedAt: number;
  /** Tool calls without a result yet: call id → tool name. */
  tools: Map<string, string>;
}

/**
 * What the agent is doing now, from the turn events every stored channel publishes (console,
 * voice, WhatsApp): thinking while a turn runs, calling a tool while one of its tools runs.
 */
export class AgentActivityTracker implements Disposable {
  private readonly turns = new Map<string, RunningTurn>();
  private readonly subscriptions = new DisposableStore();

  constructor(events: EventBus, onChange: () => void) {
    const changed = (update: () => void) => {
      update();
      onChange();
    };
    this.subscriptions.add(events.on('agent.turn.started', ({ turnId }) => changed(() => this.turns.set(turnId, { startedAt: Date.now(), tools: new Map() }))));
    this.subscriptions.add(events.on('agent.turn.toolCall', ({ turnId, call }) => changed(() => this.turns.get(turnId)?.tools.set(call.id, call.name))));
    this.subscriptions.add(events.on('agent.turn.toolResult', ({ turnId, result }) => changed(() => this.turns.get(turnId)?.tools.delete(result.callId))));
    this.subscriptions.add(events.on('agent.turn.finished', ({ turnId }) => changed(() => this.turns.delete(turnId))));
    this.subscriptions.add(events.on('agent.turn.failed', ({ turnId }) => changed(() => this.turns.delete(turnId))));
  }

  current(): AgentActivity {
    const now = Date.now();
    for (const [turnId, turn] of this.turns) if (now - turn.startedAt > STALE_TURN_MS) this.turns.delete(turnId);
    const tools = [...this.turns.values()].flatMap((turn) => [...turn.tools.values()]);
    return { state: tools.length > 0 ? 'tool' : this.turns.size > 0 ? 'thinking' : 'idle', turns: this.turns.size, tools: [...new Set(tools)].sort() };
  }

  dispose(): void {
    this.subscriptions.dispose();
  }
}
