import { createRequire } from 'node:module';
import type { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation';
import { ParleyError } from '#protocol';

// One Ajv for every action tool (the MCP SDK's own provider: the kept validator it ships with),
// made with the first tool rather than at start: Ajv and the SDK cost cold start otherwise.
let validators: AjvJsonSchemaValidator | undefined;
function validatorProvider(): AjvJsonSchemaValidator {
  if (!validators) {
    const { AjvJsonSchemaValidator: Provider } = createRequire(import.meta.url)('@modelcontextprotocol/sdk/validation/ajv') as { AjvJsonSchemaValidator: typeof AjvJsonSchemaValidator };
    validators = new Provider();
  }
  return validators;
}

export type ArgumentCheck = (args: unknown) => void;

/**
 * Compiles a tool's JSON Schema once; the check throws `invalid_params` naming what is wrong, so
 * a bad call is refused here, before any request leaves for the API or the MCP server.
 */
export function compileArgumentCheck(toolName: string, schema: Record<string, unknown>): ArgumentCheck {
  let validate: ReturnType<AjvJsonSchemaValidator['getValidator']>;
  try {
    validate = validatorProvider().getValidator(schema as JsonSchemaType);
  } catch (error) {
    throw new ParleyError('invalid_params', `The input schema of ${toolName} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (args) => {
    const result = validate(args);
    if (!result.valid) throw new ParleyError('invalid_params', `Invalid arguments for ${toolName}: ${result.errorMessage}`);
  };
}
