import type { ComponentType } from 'react';
import type { ToolCall, ToolResult } from '#protocol';

/** How one tool's successful result shows in the conversation, beside its raw JSON. */
export type ToolView = ComponentType<{ call: ToolCall; result: ToolResult }>;
