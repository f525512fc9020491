import { z } from 'zod';
import { defineTool, type AgentTool } from '../platform/tools';
import type { ContactRepository } from './store/contact-repository';

export const HANDOFF_TOOL_NAME = 'whatsapp_handoff';

/** The agent hands the contact to a human operator when asked for one: it then stays silent until released. */
export function handoffTool(contacts: ContactRepository, changed: (contactId: string) => void): AgentTool {
  return defineTool({
    name: HANDOFF_TOOL_NAME,
    description:
      'Hand this WhatsApp conversation to a human operator. Use it when the contact asks for a person, or when you cannot help. After it, tell the contact briefly that a person will answer.',
    input: z.object({ reason: z.string().max(500).describe('Why a human should take over, for the operator') }),
    channels: ['whatsapp'],
    timeoutMs: 5_000,
    async execute({ reason }, context) {
      const contact = context.conversationId ? await contacts.findByConversation(context.conversationId) : undefined;
      if (!contact) return { data: { handedOff: false, note: 'This conversation is not a WhatsApp contact.' } };
      await contacts.setFlag(contact.id, 'taken_over', true);
      changed(contact.id);
      return { data: { handedOff: true, reason, note: 'An operator now answers this contact; the agent stays silent until released.' }, source: 'WhatsApp inbox' };
    },
  });
}
