import type { ModelRef } from '#protocol';

export const MAX_FALLBACKS = 10;

/** "providerId/model": how context budgets are keyed (the model itself may contain slashes). */
export function modelRefKey(ref: ModelRef): string {
  return `${ref.providerId}/${ref.model}`;
}

export function parseModelRefKey(key: string): ModelRef | null {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return null;
  return { providerId: key.slice(0, slash), model: key.slice(slash + 1) };
}

export function sameModelRef(a: ModelRef | null | undefined, b: ModelRef | null | undefined): boolean {
  return !!a && !!b && a.providerId === b.providerId && a.model === b.model;
}

/** Appends unless already listed or the list is full; returns the same array when nothing changes. */
export function addFallback(list: readonly ModelRef[], ref: ModelRef): readonly ModelRef[] {
  if (list.length >= MAX_FALLBACKS || list.some((item) => sameModelRef(item, ref))) return list;
  return [...list, ref];
}

export function removeFallback(list: readonly ModelRef[], index: number): readonly ModelRef[] {
  if (index < 0 || index >= list.length) return list;
  return list.filter((_, i) => i !== index);
}

/** Moves one entry up (-1) or down (+1); out of range leaves the list as it is. */
export function moveFallback(list: readonly ModelRef[], index: number, delta: -1 | 1): readonly ModelRef[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return list;
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** Case-insensitive filter where every word of the query must appear ("gpt mini" finds "gpt-4o-mini"). */
export function filterModels(models: readonly string[], query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...models];
  return models.filter((model) => {
    const lower = model.toLowerCase();
    return words.every((word) => lower.includes(word));
  });
}
