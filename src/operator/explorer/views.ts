/**
 * What each explorer route answers, as plain JSON bodies built from a snapshot (and a health
 * monitor): the redacted tree or one node of it with origins, every layer of a key, a key search,
 * the sources, health, the schema's reference, and the page itself. No HTTP here (explorer.ts
 * routes, http.ts guards); every value comes from the redacted tree or a redacting Config method.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../core/config.js';
import type { HealthMonitor } from '../../observability/health.js';
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';
import { describeOrigin, type Origin } from '../../tree/origins.js';
import { getAt, joinPath } from '../../tree/path.js';
import { HttpProblem } from './http.js';
import { redactedTree } from './redacted.js';

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
const kindOf = (v: unknown): Kind =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : (typeof v as 'string' | 'number' | 'boolean');

const pathOf = (segments: readonly string[]) => segments.reduce<string>((p, s) => joinPath(p, s), '');
// Origins from Config.explain / explainAll are redacted already (a source named by a URL has no password).
const withAt = (o: Origin | undefined) => (o ? { ...o, at: describeOrigin(o) } : null);

/** `/api/config`: the whole redacted tree. */
export function treeView(config: Config<unknown>, version: number): unknown {
  return { version, config: redactedTree(config) };
}

/**
 * `/api/config?path=`: one node; for a container, a page of its children, each with its kind,
 * size or (redacted) value, and origin.
 * @throws HttpProblem 404 when nothing is at the path
 */
export function nodeView(config: Config<unknown>, version: number, segments: readonly string[], offset: number, limit: number): unknown {
  const tree = redactedTree(config);
  const node = segments.length === 0 ? tree : getAt(tree, segments);
  if (node === undefined) throw new HttpProblem(404, 'key_not_found', 'no value at that key');
  const path = pathOf(segments);
  const kind = kindOf(node);
  if (kind !== 'object' && kind !== 'array') return { version, path, kind, value: node, origin: withAt(config.explain(path)) };
  const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node as object);
  const children = keys.slice(offset, offset + limit).map((key) => {
    const child = (node as Record<string, unknown>)[key];
    const childPath = joinPath(path, key);
    const ck = kindOf(child);
    const entry: Record<string, unknown> = { key, path: childPath, kind: ck };
    if (ck === 'object' || ck === 'array') entry.size = Array.isArray(child) ? child.length : Object.keys(child as object).length;
    else entry.value = child;
    const origin = config.explain(childPath);
    if (origin) entry.origin = describeOrigin(origin);
    return entry;
  });
  return { version, path, kind, size: keys.length, offset, children };
}

/** `/api/explain?key=`: the value, its origin, and every layer (`Config.explainAll`). */
export function explainView(config: Config<unknown>, version: number, segments: readonly string[]): unknown {
  const key = pathOf(segments);
  const value = segments.length === 0 ? redactedTree(config) : getAt(redactedTree(config), segments);
  return {
    version,
    key,
    // Canonical paths of the enclosing nodes, outermost first (for the page to open the tree down to the key).
    ancestors: segments.slice(0, -1).map((_, i) => pathOf(segments.slice(0, i + 1))),
    found: value !== undefined,
    value: value ?? null,
    origin: segments.length > 0 ? withAt(config.explain(key)) : null,
    layers: config.explainAll(key).map((l) => ({ ...l, origin: withAt(l.origin) })),
  };
}

/** `/api/search?q=`: key paths containing `q`, over an index built once per snapshot. */
export class KeySearch {
  readonly #index = new WeakMap<object, { path: string; kind: Kind }[]>();

  search(config: Config<unknown>, version: number, q: string, limit: number): unknown {
    const needle = q.toLowerCase();
    const matches: { path: string; kind: Kind }[] = [];
    let total = 0;
    for (const item of this.#paths(config)) {
      if (needle !== '' && !item.path.toLowerCase().includes(needle)) continue;
      total++;
      if (matches.length < limit) matches.push(item);
    }
    return { version, q: needle, total, matches };
  }

  #paths(config: Config<unknown>): { path: string; kind: Kind }[] {
    let index = this.#index.get(config);
    if (!index) {
      const out: { path: string; kind: Kind }[] = [];
      const walk = (v: unknown, path: string): void => {
        if (path !== '') out.push({ path, kind: kindOf(v) });
        if (Array.isArray(v)) v.forEach((item, i) => walk(item, joinPath(path, i)));
        else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(child, joinPath(path, k));
      };
      walk(redactedTree(config), '');
      index = out;
      this.#index.set(config, index);
    }
    return index;
  }
}

/** `/api/sources`: every source with its status, and its health when a monitor knows it. */
export function sourcesView(config: Config<unknown>, version: number, monitor: HealthMonitor | undefined): unknown {
  const providers = monitor?.summary().providers ?? {};
  const sources = config.sources().map((s) => ({
    name: s.name,
    type: s.type,
    status: s.status,
    ...(s.error ? { error: { code: s.error.code, message: s.error.message } } : {}),
    ...(Object.hasOwn(providers, s.name) ? { health: plain(providers[s.name]) } : {}),
  }));
  return { version, sources };
}

/** `/api/health`: the monitor's summary (nothing is checked by the request). */
export function healthView(monitor: HealthMonitor | undefined): unknown {
  if (!monitor) return { available: false, reason: 'no HealthMonitor was given (options.monitor)' };
  return { available: true, ...(plain(monitor.summary()) as object) };
}

/** What the `health` event reports, and a signature that changes when any status does. */
export function healthSignal(monitor: HealthMonitor | undefined): { signature: string; data: unknown } | undefined {
  if (!monitor) return undefined;
  const s = monitor.summary();
  const providers = Object.fromEntries(Object.entries(s.providers).map(([n, h]) => [n, h.status]));
  const data = plain({ status: s.status, reasons: s.reasons, providers, sources: s.sources });
  return { signature: JSON.stringify(data), data };
}

/** Dates as ISO strings (health holds names, codes and redacted ConfigError messages only). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * `/api/reference`: the JSON Schema of the schema the explorer was given (its Standard JSON
 * Schema), and the Markdown reference when one was given (`confstack serve` renders `confstack docs`'s).
 */
export function referenceView(schema: StandardSchemaV1 | false | undefined, markdown?: string): unknown {
  const withDocs = markdown !== undefined ? { markdown } : {};
  if (schema === undefined || schema === false) {
    const reason = schema === false ? 'no schema (schema: false)' : 'no schema was given (options.schema)';
    return markdown !== undefined ? { available: true, kind: 'markdown', ...withDocs } : { available: false, reason };
  }
  const converter = (schema['~standard'] as { jsonSchema?: { input?: (o: { target: string }) => unknown } }).jsonSchema;
  let json: unknown;
  try {
    json = typeof converter?.input === 'function' ? converter.input({ target: 'draft-2020-12' }) : undefined;
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    return markdown !== undefined ? { available: true, kind: 'markdown', ...withDocs } : { available: false, reason: 'the schema does not expose a JSON Schema (Standard JSON Schema)' };
  }
  return { available: true, kind: 'json-schema', schema: json, ...withDocs };
}

/** The page and its Content-Security-Policy (hashes of its one script and one style), loaded once. */
export async function loadPage(): Promise<{ html: string; csp: string }> {
  const { PAGE_HTML } = await import('./page.js');
  const hash = (tag: string) => {
    const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(PAGE_HTML);
    return `'sha256-${createHash('sha256').update(m?.[1] ?? '').digest('base64')}'`;
  };
  const csp = `default-src 'none'; script-src ${hash('script')}; style-src ${hash('style')}; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { html: PAGE_HTML, csp };
}
