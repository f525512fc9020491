import type { AgentTool } from './tool-registry';

/** Models do not know the date; operators ask for it more than one would think. */
export const currentTimeTool: AgentTool = {
  name: 'get_current_time',
  description: 'Current date and time, optionally in a given IANA time zone (e.g. "Europe/Paris").',
  parameters: {
    type: 'object',
    properties: { timeZone: { type: 'string', description: 'IANA time zone name; defaults to the machine\'s' } },
    additionalProperties: false,
  },
  channels: ['console', 'whatsapp', 'api'],
  async execute(args) {
    const timeZone = typeof args.timeZone === 'string' && args.timeZone ? args.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone;
    let formatted: string;
    try {
      formatted = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(new Date());
    } catch {
      throw new Error(`Unknown time zone "${timeZone}"`);
    }
    return { data: { iso: new Date().toISOString(), timeZone, formatted }, source: 'system clock' };
  },
};
