import type { JsonSchemaObject } from '../../platform/tools';

/** What an action call gave back: data for the model, and the HTTP status when there was one. */
export interface ActionResult {
  data: unknown;
  httpStatus?: number;
}

/** A failed call that still has an HTTP status to audit (a 500, a 404). */
export class ActionCallError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ActionCallError';
  }
}

/** One tool an HTTP source or an MCP server provides, before policy, confirmation and audit wrap it. */
export interface ActionDefinition {
  name: string;
  kind: 'http' | 'mcp';
  /** The HTTP source id or the MCP server name. */
  source: string;
  description: string;
  parameters: JsonSchemaObject;
  /** GET/HEAD, or an MCP tool that declares readOnlyHint: no approval by default. */
  readOnly: boolean;
  method?: string;
  path?: string;
  /** How long the call itself may take (approval time comes on top). */
  timeoutMs: number;
  /** Credential values to mask wherever they might show (arguments, errors). */
  knownSecrets(): readonly string[];
  invoke(args: Record<string, unknown>, signal: AbortSignal): Promise<ActionResult>;
}
