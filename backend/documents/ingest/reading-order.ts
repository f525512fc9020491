/** A run of text as pdf.js places it: baseline origin (points, from the bottom-left), width and height. */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Line {
  y: number;
  height: number;
  items: PlacedText[];
}

/** A column must be at least this share of the page's text width to be read as a column of prose. */
const MIN_COLUMN_SHARE = 0.25;
/** Prose fills its column; table cells mostly do not. */
const MIN_PROSE_FILL = 0.6;
/** A gutter narrower than this (points) is a word gap, not a gutter. */
const MIN_GUTTER = 10;
/** Narrower than this (points, about 1.4 inches) a block of text is a cell or a label, not a column. */
const MIN_COLUMN_WIDTH = 100;

/**
 * A page's text in reading order. Lines are read top to bottom; when the page is set in columns
 * of prose (a gutter that no narrow line crosses, with full lines on both sides), each column is
 * read to its end before the next, and a line that spans the gutter (a heading, a footer) closes
 * the columns above it. Tables keep their rows: cells are too short to count as columns.
 */
export function toReadingOrder(items: readonly PlacedText[]): string {
  const visible = items.filter((item) => item.text.trim().length > 0);
  if (visible.length === 0) return '';
  const lines = groupLines(visible);
  const gutters = findProseGutters(visible);
  if (gutters.length === 0) return joinLines(lines);

  const out: Line[] = [];
  let columns: Line[][] = gutters.map(() => []).concat([[]]);
  const flush = () => {
    for (const column of columns) out.push(...column);
    columns = columns.map(() => []);
  };
  for (const line of lines) {
    if (line.items.some((item) => gutters.some((gutter) => item.x < gutter && item.x + item.width > gutter))) {
      flush();
      out.push(line);
      continue;
    }
    const parts: PlacedText[][] = columns.map(() => []);
    for (const item of line.items) parts[columnOf(item.x, gutters)]!.push(item);
    parts.forEach((part, index) => {
      if (part.length) columns[index]!.push({ ...line, items: part });
    });
  }
  flush();
  return joinLines(out);
}

function groupLines(items: readonly PlacedText[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    const height = item.height || 10;
    if (line && Math.abs(line.y - item.y) < Math.max(line.height, height) * 0.5) line.items.push(item);
    else lines.push({ y: item.y, height, items: [item] });
  }
  for (const line of lines) line.items.sort((a, b) => a.x - b.x);
  return lines;
}

/** x positions of gutters between columns of prose, left to right. */
function findProseGutters(items: readonly PlacedText[]): number[] {
  const left = Math.min(...items.map((item) => item.x));
  const right = Math.max(...items.map((item) => item.x + item.width));
  const span = right - left;
  if (span <= 0) return [];
  // Lines wider than most of the text area are headings or footers: they span the columns.
  const narrow = items.filter((item) => item.width < span * 0.6);
  const covered = mergeIntervals(narrow.map((item) => [item.x, item.x + item.width] as [number, number]));
  const gaps: number[] = [];
  for (let i = 1; i < covered.length; i++) {
    if (covered[i]![0] - covered[i - 1]![1] >= MIN_GUTTER) gaps.push((covered[i - 1]![1] + covered[i]![0]) / 2);
  }
  if (gaps.length === 0) return [];
  const bounds = [left, ...gaps, right];
  for (let c = 0; c < bounds.length - 1; c++) {
    const inColumn = narrow.filter((item) => columnOf(item.x, gaps) === c);
    const columnLeft = Math.min(...inColumn.map((item) => item.x));
    const columnWidth = Math.max(...inColumn.map((item) => item.x + item.width)) - columnLeft;
    if (inColumn.length < 2 || columnWidth < Math.max(MIN_COLUMN_WIDTH, span * MIN_COLUMN_SHARE)) return [];
    if (median(inColumn.map((item) => item.width)) < columnWidth * MIN_PROSE_FILL) return [];
  }
  return gaps;
}

function columnOf(x: number, gutters: readonly number[]): number {
  let index = 0;
  while (index < gutters.length && x >= gutters[index]!) index++;
  return index;
}

function mergeIntervals(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function joinLines(lines: readonly Line[]): string {
  const texts = lines.map((line) => {
    let text = '';
    let end = -Infinity;
    for (const item of line.items) {
      // A visible gap between runs is a space (or a table cell boundary); touching runs are one word.
      if (text && item.x - end > (item.height || 10) * 0.15 && !text.endsWith(' ')) text += ' ';
      text += item.text;
      end = item.x + item.width;
    }
    return text.trim();
  });
  // Words hyphenated at the end of a line are joined again ("warr-" + "anty").
  return texts.reduce((all, line) => (all.endsWith('-') && /^\p{Ll}/u.test(line) ? all.slice(0, -1) + line : all ? `${all}\n${line}` : line), '');
}
