import type { Channel } from '#protocol';
import type { ChannelTurnConfig } from '../../platform/turns';

/**
 * Each channel's defaults. The API serves the console's agent (its model and prompt) and keeps no
 * memory of its own; WhatsApp answers with its own model and prompt, or the console's when none is
 * chosen, so a server started with PARLEY_LLM_* alone answers contacts. The WhatsApp capability
 * replaces its config with its own (allowed tools, session expiry).
 */
export const defaultChannelConfigs: Record<Channel, ChannelTurnConfig> = {
  console: {
    model: (settings) => settings['agent.console.model'],
    systemPrompt: (settings) => settings['agent.console.systemPrompt'],
    memory: { kind: 'stored' },
  },
  api: {
    model: (settings) => settings['agent.console.model'],
    systemPrompt: (settings) => settings['agent.console.systemPrompt'],
    memory: { kind: 'caller' },
  },
  whatsapp: {
    model: (settings) => settings['agent.whatsapp.model'] ?? settings['agent.console.model'],
    systemPrompt: (settings) => settings['agent.whatsapp.systemPrompt'] || settings['agent.console.systemPrompt'],
    memory: { kind: 'stored', idleExpiryMs: 24 * 60 * 60 * 1000 },
  },
  // Diagnostics replays recorded turns here, configuring the model and prompt under test for each run.
  replay: {
    model: (settings) => settings['agent.console.model'],
    systemPrompt: (settings) => settings['agent.console.systemPrompt'],
    allowsTool: (tool) => tool.channels.includes('console'),
    memory: { kind: 'caller' },
  },
};

export const channelLabels: Record<Channel, string> = { console: 'console', api: 'API', whatsapp: 'WhatsApp', replay: 'replay' };
