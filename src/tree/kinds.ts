/**
 * What a node of a config tree is, asked the same way everywhere. Two questions, deliberately
 * apart: `isRecord` is any non-list object (a mapping as parsers and env values produce it, or a
 * leaf object such as a TomlDateTime, which callers rule out with `isLeafObject`); `isPlainObject`
 * is a mapping in the strict sense, whose prototype is Object's or null, so class instances
 * (a Date, a TomlDateTime, a schema's output class) are never walked into or merged as mappings.
 */

/** Any object that is not an array (null excluded). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object literal or a null-prototype object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isRecord(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
