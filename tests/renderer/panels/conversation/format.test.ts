import { describe, expect, it } from 'vitest';
import { formatMs, prettyJson } from '../../../../renderer/src/panels/conversation/format';

describe('formatMs', () => {
  it('shows milliseconds under a second, then seconds', () => {
    expect([12.4, 999, 1234, 12_345].map(formatMs)).toEqual(['12 ms', '999 ms', '1.2 s', '12 s']);
  });
});

describe('prettyJson', () => {
  it('indents valid JSON and leaves anything else as it is', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{not json')).toBe('{not json');
    expect(prettyJson('')).toBe('(none)');
  });
});
