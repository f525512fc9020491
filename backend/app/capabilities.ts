import { actionsCapability } from '../actions';
import { agentCapability, type AgentRuntime } from '../agent';
import { databasesCapability } from '../databases';
import { diagnosticsCapability } from '../diagnostics';
import { documentsCapability } from '../documents';
import type { CapabilityFactory } from '../platform/capability';
import { AudioFileTranscription, speechCapability } from '../speech';
import { whatsappCapability } from '../whatsapp';

/**
 * Every capability of the product, in start order (stop runs in reverse). Adding one is its
 * folder in backend/ plus one line here.
 */
export function productCapabilities(agent: AgentRuntime): CapabilityFactory[] {
  const audioFiles = new AudioFileTranscription();
  return [
    diagnosticsCapability({ listProviders: () => agent.providers.list(), conversations: agent.conversations }),
    agentCapability(agent),
    speechCapability({ resolveProvider: agent.resolveProvider, audioFiles }),
    databasesCapability,
    documentsCapability({ resolveProvider: agent.resolveProvider }),
    actionsCapability,
    whatsappCapability({ createConversation: async (title) => (await agent.conversations.create('whatsapp', title)).id, transcribe: audioFiles.transcribe }),
  ];
}
