/** A list entry as digits, with `prefix` when it ended in * ("+49 30*" → 4930, prefix). */
interface NumberPattern {
  digits: string;
  prefix: boolean;
}

function parse(entry: string): NumberPattern | undefined {
  const prefix = entry.trim().endsWith('*');
  const digits = entry.replace(/\D/g, '');
  return digits ? { digits, prefix } : undefined;
}

function matches(waId: string, pattern: NumberPattern): boolean {
  return pattern.prefix ? waId.startsWith(pattern.digits) : waId === pattern.digits;
}

/**
 * The allow and block lists of the WhatsApp panel, matched on the digits of a number as WhatsApp
 * gives it (wa_id: country code and number, no +). The block list wins; an empty allow list allows all.
 */
export class NumberLists {
  private readonly allow: NumberPattern[];
  private readonly block: NumberPattern[];

  constructor(allow: readonly string[], block: readonly string[]) {
    this.allow = allow.map(parse).filter((pattern) => pattern !== undefined);
    this.block = block.map(parse).filter((pattern) => pattern !== undefined);
  }

  /** Undefined when the number may write; otherwise why not, for the log. */
  refusal(waId: string): string | undefined {
    const digits = waId.replace(/\D/g, '');
    if (this.block.some((pattern) => matches(digits, pattern))) return 'on the block list';
    if (this.allow.length && !this.allow.some((pattern) => matches(digits, pattern))) return 'not on the allow list';
    return undefined;
  }
}
