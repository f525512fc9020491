import type { ChannelTurnConfig } from '../platform/turns';
import type { WhatsAppConfig } from './config/whatsapp-config';
import { HANDOFF_TOOL_NAME } from './handoff-tool';

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
      if (tool.name === HANDOFF_TOOL_NAME) return true;
      const allowed = latest?.allowedTools;
      return allowed ? allowed.includes(tool.name) : tool.channels.includes('whatsapp');
    },
    get memory() {
      return { kind: 'stored' as const, idleExpiryMs: latest?.sessionIdleMs ?? DEFAULT_IDLE_MS };
    },
  };
}
