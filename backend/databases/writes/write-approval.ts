import { ParleyError, type Channel } from '#protocol';
import type { ConfirmationCenter } from '../../platform/confirmations';
import type { GuardedWrite } from '../guard/write-guard';

const SUMMARY_SQL_CHARS = 240;

export interface WriteApprovalRequest {
  connection: string;
  /** The agent's tool that asks (db_<connection>_write): shown on the card. */
  tool: string;
  write: GuardedWrite;
  channel: Channel;
  conversationId: string | undefined;
  signal: AbortSignal;
}

/**
 * Who may write at all, then the operator's yes. WhatsApp contacts never write, whatever a
 * presenter could ask them: they are the operator's customers. The API channel has nobody to
 * ask. On the console the call waits for the card in the conversation; anything but an approval
 * is a refusal the model reads, with nothing run.
 */
export async function awaitWriteApproval(confirmations: ConfirmationCenter, request: WriteApprovalRequest): Promise<void> {
  if (request.channel === 'whatsapp') {
    throw new ParleyError('forbidden', `Refused: WhatsApp contacts never get writes on the "${request.connection}" database.`, { hint: 'Only the operator at the console can approve a write.' });
  }
  if (request.channel === 'api' || !confirmations.canConfirmOn(request.channel)) {
    throw new ParleyError('forbidden', `Refused: a write on "${request.connection}" needs the operator's approval, and the ${request.channel} channel has nobody to ask.`, {
      hint: 'Ask from the console, where the operator approves each write.',
    });
  }
  const outcome = await confirmations.request({
    source: 'databases',
    tool: request.tool,
    summary: writeSummary(request.connection, request.write),
    arguments: { connection: request.connection, sql: request.write.sql },
    channel: request.channel,
    conversationId: request.conversationId,
    signal: request.signal,
  });
  if (outcome === 'approved') return;
  if (outcome === 'rejected') throw new ParleyError('forbidden', 'The operator rejected the write; nothing was changed. Ask the user what to change.');
  if (outcome === 'expired') throw new ParleyError('timeout', 'Nobody approved the write in time; nothing was changed.');
  throw new ParleyError('cancelled', 'The turn was stopped before the write was approved; nothing was changed.');
}

/** "UPDATE on shop: UPDATE products SET price = 4.5 WHERE id = 3", and a warning when it changes every row. */
export function writeSummary(connection: string, write: GuardedWrite): string {
  const oneLine = write.sql.replace(/\s+/g, ' ').trim();
  const sql = oneLine.length > SUMMARY_SQL_CHARS ? `${oneLine.slice(0, SUMMARY_SQL_CHARS - 1)}…` : oneLine;
  return `${write.statement} on ${connection}: ${sql}${write.everyRow ? ' (no WHERE: every row of the table)' : ''}`;
}
