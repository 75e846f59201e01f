// Local JSON pointers (`#/components/schemas/a~1b`) as $ref uses them. Pure; shared by the
// catalog's type renderer and the OpenAPI loader.

function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a local pointer in `root`, or undefined (not local, broken, or an inherited key). */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodePointerSegment(raw);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isJsonObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** One pointer segment as the key it names: `~1` is `/`, `~0` is `~`, then URI-decoded. */
export function decodePointerSegment(raw: string): string {
  const text = raw.replace(/~1/g, '/').replace(/~0/g, '~');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
