import type { Channel } from '#protocol';

/** A JSON Schema object describing a tool's arguments, as the model sees it. */
export type JsonSchemaObject = { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };

export interface ToolContext {
  channel: Channel;
  conversationId: string | undefined;
  signal: AbortSignal;
}

/** What a tool gives back: data for the model to build on, or nothing found. Throw to report a failure. */
export type ToolOutput = { data: unknown; source?: string };

export interface AgentTool {
  name: string;
  description: string;
  parameters: JsonSchemaObject;
  /** Channels allowed to use it: a WhatsApp contact must not reach what only the operator may. */
  channels: readonly Channel[];
  /** Bounded: a tool that hangs must not hang the turn. */
  timeoutMs?: number;
  execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutput>;
}

/** The tools the agent may call. Capabilities register theirs at start (databases, documents, WhatsApp handoff). */
export class ToolRegistry {
  private readonly tools = new Map<string, AgentTool>();

  register(tool: AgentTool): void {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) throw new Error(`Invalid tool name "${tool.name}"`);
    if (this.tools.has(tool.name)) throw new Error(`Tool "${tool.name}" is registered twice`);
    this.tools.set(tool.name, tool);
  }

  forChannel(channel: Channel): AgentTool[] {
    return [...this.tools.values()].filter((tool) => tool.channels.includes(channel));
  }

  find(name: string, channel: Channel): AgentTool | undefined {
    const tool = this.tools.get(name);
    return tool?.channels.includes(channel) ? tool : undefined;
  }
}
