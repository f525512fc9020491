import type { ChannelTurnConfig } from '../platform/turns';
import type { WhatsAppConfig } from './config/whatsapp-config';
import { HANDOFF_TOOL_NAME } from './handoff-tool';
import { CHOICES_TOOL_NAME } from './outbound/offered-choices';

/** The bridge's own tools: always offered to contacts, whatever the allowed-tools setting says. */
const BRIDGE_TOOLS = new Set([HANDOFF_TOOL_NAME, CHOICES_TOOL_NAME]);

/** Used until the first config read; then the last config read (each job reads it before its turn). */
const DEFAULT_IDLE_MS = 24 * 3_600_000;

/**
 * How WhatsApp turns run: the WhatsApp model and prompt, or the console's when none is chosen
 * (so a server started with PARLEY_LLM_* and WHATSAPP_* alone answers); only the tools allowed
 * to contacts; the conversation's context expires after the configured idle time.
 */
export function whatsappChannelConfig(readConfig: () => Promise<WhatsAppConfig>): ChannelTurnConfig {
  let latest: WhatsAppConfig | undefined;
  const refresh = () => void readConfig().then((config) => (latest = config), () => undefined);
  refresh();
  return {
    model: (settings) => {
      refresh();
      return settings['agent.whatsapp.model'] ?? settings['agent.console.model'];
    },
    systemPrompt: (settings) => settings['agent.whatsapp.systemPrompt'] || settings['agent.console.systemPrompt'],
    allowsTool: (tool) => {
      if (BRIDGE_TOOLS.has(tool.name)) return true;
      const allowed = latest?.allowedTools;
      return allowed ? allowed.includes(tool.name) : tool.channels.includes('whatsapp');
    },
    get memory() {
      return { kind: 'stored' as const, idleExpiryMs: latest?.sessionIdleMs ?? DEFAULT_IDLE_MS };
    },
  };
}
