/** A request body as a tree of leaves: what the body-sweeping security tests vary one field at a time. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = Array<string | number>;

/** Every field of a body (objects, arrays and scalars), depth first, with its path. */
export function leaves(value: Json, path: Path = [], out: Array<{ path: Path; value: Json }> = []): Array<{ path: Path; value: Json }> {
  if (path.length > 0) out.push({ path, value });
  if (Array.isArray(value)) value.forEach((item, i) => leaves(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) leaves(item, [...path, key], out);
  return out;
}

/** A copy of `body` with the field at `path` replaced. */
export function replaced(body: Json, path: Path, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(body) as Record<string | number, Json>;
  let cursor = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, Json>;
  cursor[path[path.length - 1]] = replacement;
  return copy;
}
