/**
 * The framework configuration's default values, as plain data, and a hand-written applier.
 * Owns: the single list of framework defaults. Must not import zod: the core's sync
 * `setDefaults` uses this file without loading the zod schemas (importing zod costs ~75 ms).
 * The zod schemas in this folder read their `.default(...)` values from here, and a test checks
 * that `applyFrameworkDefaults` and a zod parse agree, so the two cannot drift.
 */
import { isPlainObject } from '../../tree/kinds.js';

/** Default values the framework schema fills in when a key is absent. */
export const FRAMEWORK_DEFAULTS = Object.freeze({
  /** `llm_providers[].default_call_options.temperature` */
  temperature: 0.7,
  /** `llm_providers[].default_call_options.max_tokens` */
  maxTokens: 1000,
  /** `tools[].enabled` */
  toolEnabled: true,
  /** `agents[].max_iterations` */
  maxIterations: 10,
});

/** The root lists of the framework configuration; each defaults to `[]`. */
export const FRAMEWORK_LISTS = Object.freeze([
  'llm_providers',
  'embedding_providers',
  'vector_stores',
  'tools',
  'agents',
] as const);

/** One of the framework configuration's root list keys. */
export type FrameworkListKey = (typeof FRAMEWORK_LISTS)[number];


/** Copies own enumerable keys, defining each (so a JSON-parsed `__proto__` key stays inert data). */
function copyOf(src: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.getPrototypeOf(src) === null ? Object.create(null) : {};
  for (const k of Object.keys(src)) {
    Object.defineProperty(out, k, { value: src[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function mapItems(list: unknown, fn: (item: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item) => (isPlainObject(item) ? fn(item) : item));
}

/**
 * Returns a copy of `value` with the framework defaults filled in where keys are absent
 * (`undefined`): root lists `[]`, `default_call_options` `{ temperature: 0.7, max_tokens: 1000 }`,
 * `tools[].enabled` true, `agents[].max_iterations` 10. Never mutates `value` and never validates:
 * wrong types are left as they are for validation to report. A non-object `value` is returned
 * unchanged, except `undefined`, which becomes an object holding the defaults.
 */
export function applyFrameworkDefaults(value: unknown): unknown {
  if (value === undefined) value = {};
  if (!isPlainObject(value)) return value;
  const root = copyOf(value);
  for (const key of FRAMEWORK_LISTS) if (root[key] === undefined) setOwn(root, key, []);
  setOwn(root, 'llm_providers', mapItems(root.llm_providers, (p) => {
    const out = copyOf(p);
    const opts = out.default_call_options === undefined ? {} : out.default_call_options;
    if (isPlainObject(opts)) {
      const o = copyOf(opts);
      if (o.temperature === undefined) setOwn(o, 'temperature', FRAMEWORK_DEFAULTS.temperature);
      if (o.max_tokens === undefined) setOwn(o, 'max_tokens', FRAMEWORK_DEFAULTS.maxTokens);
      setOwn(out, 'default_call_options', o);
    }
    return out;
  }));
  setOwn(root, 'tools', mapItems(root.tools, (t) => {
    if (t.enabled !== undefined) return t;
    const out = copyOf(t);
    setOwn(out, 'enabled', FRAMEWORK_DEFAULTS.toolEnabled);
    return out;
  }));
  setOwn(root, 'agents', mapItems(root.agents, (a) => {
    if (a.max_iterations !== undefined) return a;
    const out = copyOf(a);
    setOwn(out, 'max_iterations', FRAMEWORK_DEFAULTS.maxIterations);
    return out;
  }));
  return root;
}
