import { z } from 'zod';
import { channelSchema } from './agent';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

export const confirmationOutcomeSchema = z.enum(['approved', 'rejected', 'expired', 'cancelled']);
export type ConfirmationOutcome = z.infer<typeof confirmationOutcomeSchema>;

/**
 * A call the agent wants to make that changes things (an action, a database write): it waits for
 * a person's yes. The operator decides in the console; a WhatsApp contact with reply buttons.
 */
export const confirmationSchema = z.object({
  id: z.string(),
  /** The capability asking: 'actions' or 'databases'. */
  source: z.string(),
  tool: z.string(),
  /** One line a person reads before deciding, e.g. "Book an oil change at Main St, 09:00". */
  summary: z.string(),
  /** The exact call, secrets masked. */
  arguments: z.unknown(),
  channel: channelSchema,
  conversationId: z.string().optional(),
  requestedAt: z.number(),
  expiresAt: z.number(),
});
export type Confirmation = z.infer<typeof confirmationSchema>;

export const confirmationsMethods = {
  /** Calls waiting for approval now. */
  'confirmations.pending': {
    params: z.object({}),
    result: z.object({ confirmations: z.array(confirmationSchema) }),
  },
  /** Approves or rejects a waiting call; `not_found` when it was already decided, expired or stopped. */
  'confirmations.decide': {
    params: z.object({ id: z.string().min(1).max(100), approve: z.boolean() }),
    result: z.object({ confirmation: confirmationSchema, approved: z.boolean() }),
  },
} as const satisfies Record<string, MethodSpec>;

const onConfirmations = () => topics.confirmations;

export const confirmationsEvents = {
  'confirmation.requested': eventSpec(confirmationSchema, onConfirmations),
  'confirmation.resolved': eventSpec(
    z.object({ id: z.string(), outcome: confirmationOutcomeSchema, conversationId: z.string().optional() }),
    onConfirmations,
  ),
};

export const confirmationsSettings = {
  /** How long a call waits for a person's approval before it is refused. */
  'confirmations.timeoutSeconds': z.number().int().min(5).max(3600).default(120),
};
