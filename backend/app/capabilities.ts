import { agentCapability, type AgentRuntime } from '../agent';
import { diagnosticsCapability } from '../diagnostics';
import { documentsCapability } from '../documents';
import type { CapabilityFactory } from '../platform/capability';
import { speechCapability } from '../speech';

/**
 * Every capability of the product, in start order (stop runs in reverse). Adding one is its
 * folder in backend/ plus one line here.
 */
export function productCapabilities(agent: AgentRuntime): CapabilityFactory[] {
  return [
    diagnosticsCapability,
    agentCapability(agent),
    speechCapability({ resolveProvider: agent.resolveProvider }),
    documentsCapability,
  ];
}
