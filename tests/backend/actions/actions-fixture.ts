import { startBookingServer, type BookingServer } from '../../../resources/actions/demo-booking/booking-server.mjs';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';

/** The tool results a recorded chat request carried back to the model, parsed. */
export function toolResultsOf(request: { body?: { messages?: unknown } } | undefined): Array<{ ok: boolean; error?: string; data?: unknown }> {
  const messages = (request?.body?.messages ?? []) as Array<{ role: string; content?: unknown }>;
  return messages.filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as { ok: boolean; error?: string; data?: unknown });
}

export interface ActionsFixture extends AgentFixture {
  garage: BookingServer;
}

/** The real backend with the scripted LLM, plus the demo garage booking API on its own port. */
export async function startActionsFixture(options: { garageApiKey?: string } = {}): Promise<ActionsFixture> {
  const fixture = await startAgentFixture();
  const garage = await startBookingServer({ apiKey: options.garageApiKey });
  return {
    ...fixture,
    garage,
    close: async () => {
      await fixture.close();
      await garage.close();
    },
  };
}
