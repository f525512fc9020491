import { z } from 'zod';

export const PARLEY_AGENT_MODEL = 'parley-agent';

const textContent = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).transform((parts) =>
    parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text ?? '')
      .join(''),
  ),
  z.null(),
]);

/** What Parley reads of an OpenAI chat completion request; other fields (temperature...) are accepted and ignored. */
export const chatRequestSchema = z
  .object({
    model: z.string(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: textContent.optional(),
            tool_call_id: z.string().optional(),
          })
          .passthrough(),
      )
      .min(1),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  })
  .passthrough();
export type ChatRequest = z.infer<typeof chatRequestSchema>;
