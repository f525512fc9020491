import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { QueryResult } from '#protocol';
import { cellText } from '../../query-results/cell-text';

const ROW_HEIGHT = 28;

/** Only the rows in view are in the DOM: 100k rows scroll like 100. */
export function ResultTable({ result }: { result: QueryResult }) {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer re-renders this component on scroll itself; nothing here relies on memoisation.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: result.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const template = `repeat(${result.columns.length}, minmax(8rem, 1fr))`;
  return (
    <div className="db-result" role="table" aria-rowcount={result.rows.length + 1} aria-label="Query result">
      <div className="db-row db-head" role="row" style={{ gridTemplateColumns: template }}>
        {result.columns.map((column, index) => (
          <span role="columnheader" key={`${column}-${index}`}>
            {column}
          </span>
        ))}
      </div>
      <div ref={scroller} className="db-scroller" data-testid="result-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.index}
              role="row"
              aria-rowindex={item.index + 2}
              className="db-row"
              style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {result.rows[item.index]!.map((value, column) => (
                <span role="cell" key={column} className={value === null ? 'db-null' : undefined}>
                  {cellText(value)}
                </span>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
