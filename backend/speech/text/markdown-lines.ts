/** Line-level Markdown shapes the sentence splitter must see before it can split safely. */

/** A heading, list item or quote: a line that is a unit of its own, whatever its punctuation. */
export const STANDALONE_LINE = /^ {0,3}(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>)/;

/** A line that starts a new block, so the line before it ends where it is. */
export const BLOCK_START = /^ {0,3}(#{1,6}(\s|$)|[-*+](\s|$)|\d{1,9}[.)](\s|$)|>|\||`{3}|~{3})/;

/** The start of a line that could still turn out to be a block start once more text arrives. */
export const POSSIBLE_BLOCK_START = /^ {0,3}(#{1,6}|[-*+]|\d{1,9}[.)]?|`{1,2}|~{1,2})?$/;

/** An opening code fence: three or more backticks or tildes. */
export const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** Fewer than three fence characters, at the very end of what has arrived. */
export const PARTIAL_FENCE = /^ {0,3}(`{1,2}|~{1,2})$/;
