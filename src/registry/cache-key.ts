/**
 * Stable cache keys for provider options: equal options (deep equality, key order irrelevant) give
 * the same string. Plain objects and arrays are compared by content; anything with identity
 * (a function, a Map, a class instance, and a Provider, even a plain-object one, as in
 * `providerSpecific.providers`) by identity, through a per-process id held in a WeakMap, so two
 * different provider objects never share a cache entry. A property whose value is `undefined`
 * counts as absent.
 */

const ids = new WeakMap<object, number>();
let nextId = 1;

function identity(v: object): string {
  let id = ids.get(v);
  if (id === undefined) {
    id = nextId++;
    ids.set(v, id);
  }
  return `#${id}`;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The canonical key of `value`. Cycles are keyed by identity where they close. */
export function canonicalKey(value: unknown): string {
  return write(value, []);
}

function write(v: unknown, stack: object[]): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      // Object.is semantics would split 0 and -0; options treat them alike. NaN is its own key.
      return Number.isNaN(v) ? 'NaN' : v === 0 ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${v}n`;
    case 'symbol':
    case 'function':
      return identity(v as object);
    default:
      break;
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (stack.includes(obj)) return identity(obj);
  if (Array.isArray(obj)) {
    stack.push(obj);
    let s = '[';
    for (let i = 0; i < obj.length; i++) s += (i > 0 ? ',' : '') + write(obj[i], stack);
    stack.pop();
    return `${s}]`;
  }
  if (obj instanceof Date) return `D${obj.getTime()}`;
  // A provider is a source, not data: its key must not change as its own state does (a mock's
  // call log), nor walk its internals.
  if (!isPlain(obj) || typeof (obj as { load?: unknown }).load === 'function') return identity(obj);
  const rec = obj as Record<string, unknown>;
  const keys = Object.keys(rec).sort();
  stack.push(obj);
  let s = '{';
  let first = true;
  for (const k of keys) {
    const x = rec[k];
    if (x === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${write(x, stack)}`;
    first = false;
  }
  stack.pop();
  return `${s}}`;
}
