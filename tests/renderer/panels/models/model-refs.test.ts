import { describe, expect, it } from 'vitest';
import {
  addFallback,
  filterModels,
  MAX_FALLBACKS,
  modelRefKey,
  moveFallback,
  parseModelRefKey,
  removeFallback,
} from '../../../../renderer/src/panels/models/model-refs';

const a = { providerId: 'openai', model: 'gpt-4o-mini' };
const b = { providerId: 'groq', model: 'llama-3.3-70b' };
const c = { providerId: 'openrouter', model: 'anthropic/claude-3.5-haiku' };

describe('fallback list', () => {
  it('moves an entry up and down, and leaves the ends alone', () => {
    const list = [a, b, c];
    expect(moveFallback(list, 1, -1)).toEqual([b, a, c]);
    expect(moveFallback(list, 1, 1)).toEqual([a, c, b]);
    expect(moveFallback(list, 0, -1)).toBe(list);
    expect(moveFallback(list, 2, 1)).toBe(list);
    expect(list).toEqual([a, b, c]);
  });

  it('adds once, and not beyond the limit the setting allows', () => {
    expect(addFallback([a], b)).toEqual([a, b]);
    const same = [a];
    expect(addFallback(same, { ...a })).toBe(same);
    const full = Array.from({ length: MAX_FALLBACKS }, (_, i) => ({ providerId: 'p', model: `m${i}` }));
    expect(addFallback(full, a)).toBe(full);
  });

  it('removes by position', () => {
    expect(removeFallback([a, b, c], 1)).toEqual([a, c]);
    const list = [a];
    expect(removeFallback(list, 5)).toBe(list);
  });
});

describe('model keys', () => {
  it('keys budgets "providerId/model" and splits at the first slash only', () => {
    expect(modelRefKey(c)).toBe('openrouter/anthropic/claude-3.5-haiku');
    expect(parseModelRefKey('openrouter/anthropic/claude-3.5-haiku')).toEqual(c);
    expect(parseModelRefKey('no-slash')).toBeNull();
    expect(parseModelRefKey('trailing/')).toBeNull();
  });
});

describe('filterModels', () => {
  it('matches every word anywhere, ignoring case', () => {
    const models = ['gpt-4o', 'gpt-4o-mini', 'o3-mini', 'GPT-3.5-turbo'];
    expect(filterModels(models, 'gpt mini')).toEqual(['gpt-4o-mini']);
    expect(filterModels(models, 'GPT')).toEqual(['gpt-4o', 'gpt-4o-mini', 'GPT-3.5-turbo']);
    expect(filterModels(models, '  ')).toEqual(models);
  });
});
