/** Tools the agent may call: `defineTool` from a zod schema, and the registry they come and go in. */
export { defineTool, type AgentTool, type ToolDefinition, type ToolContext, type ToolOutput, type JsonSchemaObject } from './define-tool';
export { ToolRegistry } from './tool-registry';
