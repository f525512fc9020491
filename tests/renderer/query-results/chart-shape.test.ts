import { describe, expect, it } from 'vitest';
import { chartShapeOf } from '../../../renderer/src/query-results/chart-shape';

describe('the chart a result gets', () => {
  it('suggests a pie for a few categories with one measure, bars and lines as alternatives', () => {
    const shape = chartShapeOf(['category', 'revenue'], [['Coffee', 120.5], ['Tea', 80], ['Bakery', '42.10']]);
    expect(shape).toEqual({ kinds: ['pie', 'bar', 'line'], labelColumn: 0, valueColumns: [1] });
  });

  it('suggests a line over dates, and bars for many categories or several measures', () => {
    const days = Array.from({ length: 30 }, (_unused, index) => [`2025-01-${String(index + 1).padStart(2, '0')}`, index * 3]);
    expect(chartShapeOf(['day', 'orders'], days)?.kinds[0]).toBe('line');
    const many = Array.from({ length: 20 }, (_unused, index) => [`customer ${index}`, index, index * 2]);
    expect(chartShapeOf(['name', 'orders', 'spent'], many)).toEqual({ kinds: ['bar', 'line'], labelColumn: 0, valueColumns: [1, 2] });
  });

  it('offers no chart without a measure, with one column, or without rows; no pie for negative values', () => {
    expect(chartShapeOf(['name', 'city'], [['Ada', 'Paris']])).toBeNull();
    expect(chartShapeOf(['n'], [[1]])).toBeNull();
    expect(chartShapeOf(['name', 'n'], [])).toBeNull();
    expect(chartShapeOf(['account', 'balance'], [['a', -5], ['b', 10]])?.kinds).toEqual(['bar', 'line']);
  });
});
