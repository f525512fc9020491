import { describe, expect, it } from 'vitest';
import { passageSpans } from '../../../../renderer/src/panels/documents/passage-highlight';

/** A page's text layer as pdf.js gives it: one span per line (or piece of a line). */
const PAGE = [
  'Heating price list 2026',
  'Condensing boilers start at 1890 euros installed.',
  'Guarantees. Every boiler carries a warranty of seven years on the heat ex-',
  'changer. Service visits are yearly.',
  'Shipping. Delivery within the city takes two working days after payment.',
];

describe('passageSpans', () => {
  it('finds the spans of a passage, across a hyphenated line end', () => {
    expect(passageSpans(PAGE, 'Guarantees. Every boiler carries a warranty of seven years on the heat exchanger. Service visits are yearly.')).toEqual([2, 3]);
  });

  it('finds a passage that starts mid-line, or from its first words only', () => {
    expect(passageSpans(PAGE, 'Delivery within the city takes two working days after payment.')).toEqual([4]);
    expect(passageSpans(PAGE, 'Every boiler carries a warranty')).toEqual([2]);
  });

  it('prefers the place where most of the passage stands over an earlier chance match', () => {
    expect(passageSpans(['boiler service', 'other words here', 'boiler service is yearly and free of charge'], 'boiler service is yearly and free of charge')).toEqual([2]);
  });

  it('highlights nothing when the passage is not on the page', () => {
    expect(passageSpans(PAGE, 'Radiators may be returned within thirty days.')).toEqual([]);
    expect(passageSpans(PAGE, '')).toEqual([]);
    expect(passageSpans([], 'Every boiler')).toEqual([]);
  });
});
