import { z } from 'zod';
import { ParleyError, type Channel } from '#protocol';

/** A JSON Schema object describing a tool's arguments, as the model sees it. */
export type JsonSchemaObject = { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };

export interface ToolContext {
  channel: Channel;
  conversationId: string | undefined;
  signal: AbortSignal;
}

/** What a tool gives back: data for the model to build on, or nothing found. Throw to report a failure. */
export type ToolOutput = { data: unknown; source?: string };

/** A tool as the agent loop sees it: a schema for the model, and a call that validates before it runs. */
export interface AgentTool {
  name: string;
  description: string;
  parameters: JsonSchemaObject;
  /** Channels allowed to use it: a WhatsApp contact must not reach what only the operator may. */
  channels: readonly Channel[];
  /** Bounded: a tool that hangs must not hang the turn. */
  timeoutMs?: number;
  /** Validates the model's arguments (ParleyError 'invalid_params' naming the first problem), then executes. */
  call(args: unknown, context: ToolContext): Promise<ToolOutput>;
}

export interface ToolDefinition<I extends z.ZodObject> {
  name: string;
  description: string;
  input: I;
  channels: readonly Channel[];
  timeoutMs?: number;
  execute(args: z.output<I>, context: ToolContext): Promise<ToolOutput>;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * A tool from a zod schema: the model gets the JSON Schema derived from it, and `execute` only
 * ever sees arguments that passed it, so a tool never has to re-check types the model got wrong.
 */
export function defineTool<I extends z.ZodObject>(definition: ToolDefinition<I>): AgentTool {
  if (!TOOL_NAME.test(definition.name)) throw new Error(`Invalid tool name "${definition.name}": letters, digits, _ and - only, at most 64`);
  const parameters = toParametersSchema(definition.input);
  return {
    name: definition.name,
    description: definition.description,
    parameters,
    channels: definition.channels,
    timeoutMs: definition.timeoutMs,
    async call(args, context) {
      const parsed = definition.input.safeParse(args);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        throw new ParleyError('invalid_params', `Invalid arguments for ${definition.name}: ${where}${issue?.message ?? 'wrong shape'}`);
      }
      return definition.execute(parsed.data, context);
    },
  };
}

function toParametersSchema(input: z.ZodObject): JsonSchemaObject {
  // 'input' describes what the model may send (defaults make a field optional to it).
  const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return { ...schema, type: 'object', properties: (schema.properties as Record<string, unknown> | undefined) ?? {} } as JsonSchemaObject;
}
