import { DatabaseQueryView } from './DatabaseQueryView';
import type { ToolView } from './tool-view';

/**
 * Tool name → its view. A `*` stands for any part of the name: tools come and go with the
 * operator's connections (db_<connection>_query). A tool with no view shows only its card, whose
 * details keep the raw arguments and result.
 */
export const toolViews: Record<string, ToolView> = {
  'db_*_query': DatabaseQueryView,
};

const patterns = Object.entries(toolViews).map(([name, view]) => ({ test: patternOf(name), view }));

export function toolViewFor(toolName: string): ToolView | undefined {
  return toolViews[toolName] ?? patterns.find((pattern) => pattern.test.test(toolName))?.view;
}

function patternOf(name: string): RegExp {
  return new RegExp(`^${name.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
}
