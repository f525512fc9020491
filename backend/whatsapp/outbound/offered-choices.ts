import { z } from 'zod';
import { defineTool, type AgentTool } from '../../platform/tools';
import type { InteractiveContent } from '../adapter/messaging-adapter';

export const CHOICES_TOOL_NAME = 'whatsapp_offer_choices';

const BUTTON_TITLE_MAX = 20;
const ROW_TITLE_MAX = 24;
const ROW_DESCRIPTION_MAX = 72;
const BODY_MAX = 1024;

/**
 * Choices the agent offered during a contact's turn, by conversation, until the turn's reply is
 * composed. A contact's turns run one at a time, so a conversation holds at most one turn's choices.
 */
export class OfferedChoices {
  private readonly byConversation = new Map<string, { choices: string[]; button: string | undefined }>();

  offer(conversationId: string, choices: string[], button: string | undefined): void {
    this.byConversation.set(conversationId, { choices, button });
  }

  take(conversationId: string): { choices: string[]; button: string | undefined } | undefined {
    const offered = this.byConversation.get(conversationId);
    this.byConversation.delete(conversationId);
    return offered;
  }
}

/** The agent shows options as buttons the contact taps: the tap comes back as the contact's next message. */
export function offerChoicesTool(offered: OfferedChoices): AgentTool {
  return defineTool({
    name: CHOICES_TOOL_NAME,
    description:
      'Show the WhatsApp contact the options you are offering as buttons to tap (up to 3 short ones) or a list (up to 10). Call it when your answer asks them to pick one, then write your answer as usual: it becomes the message above the buttons. Their tap comes back as their next message.',
    input: z.object({
      choices: z.array(z.string().trim().min(1).max(ROW_DESCRIPTION_MAX)).min(2).max(10).describe('The options, each a few words ("Tuesday 9:00", "Oil change")'),
      button: z.string().trim().min(1).max(BUTTON_TITLE_MAX).optional().describe('The label of the button that opens a list of more than 3 options (default "Choose")'),
    }),
    channels: ['whatsapp'],
    timeoutMs: 5_000,
    async execute({ choices, button }, context) {
      if (!context.conversationId) return { data: { shown: false, note: 'Not a WhatsApp conversation: write the options in your answer.' } };
      offered.offer(context.conversationId, [...new Set(choices)], button);
      return { data: { shown: true, note: 'The contact will see these under your answer. Do not repeat them as a list in your text.' } };
    },
  });
}

/**
 * WhatsApp's shapes: up to 3 choices of at most 20 characters are reply buttons; otherwise a list
 * (rows titled in 24 characters, the whole choice as the description when cut). Ids carry the index.
 */
export function interactiveFor(body: string, choices: string[], button = 'Choose'): InteractiveContent {
  const text = body.length > BODY_MAX ? `${body.slice(0, BODY_MAX - 1)}…` : body;
  if (choices.length <= 3 && choices.every((choice) => choice.length <= BUTTON_TITLE_MAX)) {
    return { type: 'button', body: text, buttons: choices.map((title, index) => ({ id: `choice:${index}`, title })) };
  }
  return {
    type: 'list',
    body: text,
    button: button.slice(0, BUTTON_TITLE_MAX),
    rows: choices.slice(0, 10).map((choice, index) =>
      choice.length <= ROW_TITLE_MAX ? { id: `choice:${index}`, title: choice } : { id: `choice:${index}`, title: `${choice.slice(0, ROW_TITLE_MAX - 1).trimEnd()}…`, description: choice.slice(0, ROW_DESCRIPTION_MAX) },
    ),
  };
}

/** A body this long is sent as text first; the buttons then follow under a short line. */
export function fitsInteractiveBody(text: string): boolean {
  return text.length <= BODY_MAX;
}
