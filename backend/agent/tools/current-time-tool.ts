import { z } from 'zod';
import { defineTool } from '../../platform/tools';

/** Models do not know the date; operators ask for it more than one would think. */
export const currentTimeTool = defineTool({
  name: 'get_current_time',
  description: 'Current date and time, optionally in a given IANA time zone (e.g. "Europe/Paris").',
  input: z.strictObject({
    timeZone: z.string().max(64).optional().describe("IANA time zone name; defaults to the machine's"),
  }),
  channels: ['console', 'whatsapp', 'api'],
  async execute({ timeZone: given }) {
    const timeZone = given || Intl.DateTimeFormat().resolvedOptions().timeZone;
    let formatted: string;
    try {
      formatted = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(new Date());
    } catch {
      throw new Error(`Unknown time zone "${timeZone}"`);
    }
    return { data: { iso: new Date().toISOString(), timeZone, formatted }, source: 'system clock' };
  },
});
