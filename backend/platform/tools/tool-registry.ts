import type { Channel } from '#protocol';
import { ListenerSet, toDisposable, type Disposable } from '../../base';
import type { AgentTool } from './define-tool';

/**
 * The tools the agent may call. They come and go at run time: a database connection added by the
 * operator registers its tools and removing it disposes them, so the next turn no longer sees them.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, AgentTool>();
  private readonly changed = new ListenerSet<[]>();

  register(tool: AgentTool): Disposable {
    if (this.tools.has(tool.name)) throw new Error(`Tool "${tool.name}" is registered twice`);
    this.tools.set(tool.name, tool);
    this.changed.emit();
    return toDisposable(() => {
      if (this.tools.get(tool.name) !== tool) return;
      this.tools.delete(tool.name);
      this.changed.emit();
    });
  }

  /** Every tool, whatever its channels (for listings). */
  all(): AgentTool[] {
    return [...this.tools.values()];
  }

  forChannel(channel: Channel): AgentTool[] {
    return this.all().filter((tool) => tool.channels.includes(channel));
  }

  find(name: string, channel: Channel): AgentTool | undefined {
    const tool = this.tools.get(name);
    return tool?.channels.includes(channel) ? tool : undefined;
  }

  onDidChange(listener: () => void): Disposable {
    return this.changed.add(listener);
  }
}
