/** OpenAPI schema keywords a JSON Schema validator and a model do not need (or that 3.0 spells differently). */
const DROPPED = new Set(['discriminator', 'xml', 'externalDocs', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'nullable', '$id', '$schema']);
const MAX_DEPTH = 12;

/**
 * An OpenAPI (3.0 / Swagger 2) schema as plain JSON Schema the model and the validator read. A
 * `$ref` left by a recursive document, or nesting deeper than a model would ever fill, becomes
 * "any value" with a note; `nullable: true` becomes a `null` type; cycles in the dereferenced
 * object graph stop at the first repeat.
 */
export function toJsonSchema(schema: unknown, root: unknown, depth = 0, path: Set<unknown> = new Set()): Record<string, unknown> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return {};
  let source = schema as Record<string, unknown>;
  // swagger-parser leaves circular $refs in place; follow one level at a time until it repeats.
  if (typeof source.$ref === 'string') {
    const target = resolvePointer(root, source.$ref);
    if (target && !path.has(target) && depth <= MAX_DEPTH) return toJsonSchema(target, root, depth, path);
  }
  if (typeof source.$ref === 'string' || path.has(schema) || depth > MAX_DEPTH) {
    return { description: `${typeof source.description === 'string' ? `${source.description} ` : ''}(a recursive or deeply nested structure; any JSON value)`.trim() };
  }
  path.add(schema);
  source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, toJsonSchema(child, root, depth + 1, path)]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && value && typeof value === 'object') {
      out[key] = toJsonSchema(value, root, depth + 1, path);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((child) => toJsonSchema(child, root, depth + 1, path));
    } else if (key === 'format' && value === 'binary') {
      // A file upload: not something a JSON tool call can carry.
      continue;
    } else {
      out[key] = value;
    }
  }
  path.delete(schema);
  if (source.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** A local JSON pointer (`#/components/schemas/Node`) in the document, or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
