import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation';
import { ParleyError } from '#protocol';

// One Ajv for every action tool (the MCP SDK's own provider: the kept validator it ships with).
const validators = new AjvJsonSchemaValidator();

export type ArgumentCheck = (args: unknown) => void;

/**
 * Compiles a tool's JSON Schema once; the check throws `invalid_params` naming what is wrong, so
 * a bad call is refused here, before any request leaves for the API or the MCP server.
 */
export function compileArgumentCheck(toolName: string, schema: Record<string, unknown>): ArgumentCheck {
  let validate: ReturnType<typeof validators.getValidator>;
  try {
    validate = validators.getValidator(schema as JsonSchemaType);
  } catch (error) {
    throw new ParleyError('invalid_params', `The input schema of ${toolName} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (args) => {
    const result = validate(args);
    if (!result.valid) throw new ParleyError('invalid_params', `Invalid arguments for ${toolName}: ${result.errorMessage}`);
  };
}
