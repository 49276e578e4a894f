/**
 * Environment diagnostics: after the merge, the prefixed variables that set a key the schema does
 * not declare (`CONFSTACK_SERVR__PORT` → `servr.port`), and those that create a new named list
 * item whose name is close to an existing one (`…__OPNAI__API_KEY` next to `openai`). Each becomes
 * a ConfigWarning naming the variable, the key it sets and the nearest valid variable.
 *
 * Works from the merged origin table (a variable's origin is where it landed, after name
 * matching) and the schema's JSON Schema; never sees values except list item names. Bounded:
 * at most MAX_WARNINGS warnings (then one summary), suggestions for the first MAX_SUGGESTIONS.
 */
import type { ErrorLocation } from '../foundation/errors.js';
import { schemaFields } from './json-schema/fields.js';
import { declaredDepth, type Json, type TypeAt } from './json-schema/walk.js';
import { closestNames, editDistance, editLimit } from '../foundation/suggest.js';
import { lookupOriginType, type OriginRef } from '../tree/merge.js';
import { formatPath, parsePath } from '../tree/path.js';
import { isRecord } from '../tree/kinds.js';

/** A problem that does not fail the load (`config.warnings`, the logger, `confstack validate`). */
export interface ConfigWarning {
  /**
   * `unknown_env_var`: a prefixed variable sets a key the schema does not declare;
   * `unknown_env_item`: a variable creates a new named list item whose name is close to an existing one;
   * `env_unchecked`: the schema offers no JSON Schema, so variables could not be checked.
   */
  readonly code: 'unknown_env_var' | 'unknown_env_item' | 'env_unchecked';
  readonly message: string;
  /** `{ source: 'env CONFSTACK_SERVR__PORT', key: 'servr.port' }`. */
  readonly location?: ErrorLocation;
  /** The variable that was probably meant: `CONFSTACK_SERVER__PORT`. */
  readonly suggestion?: string;
}

const MAX_WARNINGS = 100;
const MAX_SUGGESTIONS = 25;
/** Variables inside a lower source's section checked for a near-miss of its keys (then accepted unchecked). */
const MAX_LOWER_CHECKS = 1_000;
/** Keys of one section compared against (a typo is of a key near the top of a hand-written file). */
const MAX_SIBLINGS = 500;
const DELIMITER = '__';

interface EnvVarUse {
  name: string;
  /** The env provider's prefix (`env:<prefix>`). */
  prefix: string;
  /** Every key path (segments) the variable's origin is recorded at. */
  paths: string[][];
}

/** Each variable the env providers applied, from the merged origins (those no higher layer overrode). */
function envVarUses(origins: ReadonlyMap<string, OriginRef>): Map<string, EnvVarUse> {
  const uses = new Map<string, EnvVarUse>();
  for (const [path, ref] of origins) {
    const o = ref.origin;
    if (o.type !== 'env' || o.location === undefined || !o.provider.startsWith('env:')) continue;
    let segments: string[];
    try {
      segments = parsePath(path);
    } catch {
      continue;
    }
    let use = uses.get(o.location);
    if (!use) uses.set(o.location, (use = { name: o.location, prefix: o.provider.slice(4), paths: [] }));
    use.paths.push(segments);
  }
  return uses;
}

/** `CONFSTACK` + ['server', 'port'] → `CONFSTACK_SERVER__PORT` (names of named items: `_` for `-` and `.`). */
function varName(prefix: string, segments: readonly string[], delimiter: string): string {
  const body = segments.map(envSpelling).join(delimiter);
  return prefix === '' ? body : `${prefix.toUpperCase()}_${body}`;
}

function envSpelling(segment: string): string {
  return segment.toUpperCase().replace(/[-.]/g, '_');
}

/**
 * The delimiter a variable was written with, read back from its name and the key it set (an
 * env provider may use another than `__`; the origin does not record it). The key's segments
 * as the variable may have spelled them (a list index, or the item's name) must join with one
 * delimiter into the name; `__` when no spelling does, or the key has a single segment.
 */
function delimiterOf(use: EnvVarUse, key: readonly string[], values: unknown): string {
  if (key.length < 2) return DELIMITER;
  const head = use.prefix === '' ? '' : `${use.prefix.toUpperCase()}_`;
  const upper = use.name.toUpperCase();
  const body = upper.startsWith(head) ? upper.slice(head.length) : upper;
  const spellings = key.map((seg, i) => {
    const item = /^\d+$/.test(seg) ? itemAt(values, key.slice(0, i), Number(seg)) : undefined;
    return typeof item?.name === 'string' ? [seg, item.name] : [seg];
  });
  for (const spelled of combinations(spellings, 16)) {
    const gaps = body.length - spelled.reduce((n, s) => n + s.length, 0);
    if (gaps <= 0 || gaps % (key.length - 1) !== 0) continue;
    const delimiter = body.slice(spelled[0]!.length, spelled[0]!.length + gaps / (key.length - 1));
    if (envSpelling(spelled.join(delimiter)) === envSpelling(body)) return delimiter;
  }
  return DELIMITER;
}

/** Up to `max` ways to pick one entry of each list, in order. */
function combinations(lists: readonly (readonly string[])[], max: number): string[][] {
  let out: string[][] = [[]];
  for (const options of lists) out = out.flatMap((prefix) => options.map((o) => [...prefix, o])).slice(0, max);
  return out;
}


function listAt(values: unknown, list: readonly string[]): unknown[] {
  let node: unknown = values;
  for (const s of list) node = isRecord(node) ? node[s] : undefined;
  return Array.isArray(node) ? node : [];
}

function itemAt(values: unknown, list: readonly string[], index: number): Record<string, unknown> | undefined {
  const item = listAt(values, list)[index];
  return isRecord(item) ? item : undefined;
}

/** True if every field of the list item was set by an env variable (so env created the item). */
function fromEnvOnly(origins: ReadonlyMap<string, OriginRef>, list: readonly string[], index: number, item: Record<string, unknown>): boolean {
  return Object.keys(item).every((k) => lookupOriginType(origins, formatPath([...list, String(index), k])) === 'env');
}

/** True if a source other than the environment holds the container at `path` (its own origin entry). */
function lowerHolds(origins: ReadonlyMap<string, OriginRef>, path: readonly string[]): boolean {
  const ref = origins.get(formatPath(path));
  return ref !== undefined && ref.origin.type !== 'env';
}

/** The keys under `path` in the merged tree that a source other than the environment set. */
function lowerKeys(origins: ReadonlyMap<string, OriginRef>, values: unknown, path: readonly string[]): string[] {
  let node: unknown = values;
  for (const s of path) node = isRecord(node) ? node[s] : Array.isArray(node) ? node[Number(s)] : undefined;
  if (!isRecord(node)) return [];
  return Object.keys(node).filter((k) => lookupOriginType(origins, formatPath([...path, k])) !== 'env');
}

/**
 * The variable's key with its first segment that no lower source holds replaced by the nearest
 * key a lower source holds there (`servr.port` → `server.port`), if one is close enough.
 */
function nearLowerKey(origins: ReadonlyMap<string, OriginRef>, values: unknown, key: readonly string[], memo: Map<string, string[]>): string[] | undefined {
  let j = 0;
  while (j < key.length - 1 && lowerHolds(origins, key.slice(0, j + 1))) j++;
  const at = formatPath(key.slice(0, j));
  let keys = memo.get(at);
  if (!keys) memo.set(at, (keys = lowerKeys(origins, values, key.slice(0, j)).slice(0, MAX_SIBLINGS)));
  const siblings = keys.filter((k) => k !== key[j]);
  const near = closestNames(key[j]!, siblings, 1)[0];
  return near === undefined ? undefined : [...key.slice(0, j), near, ...key.slice(j + 1)];
}

/** The key a variable sets: its deepest recorded path (a created item's `name` only if nothing deeper). */
function keyOf(use: EnvVarUse): string[] {
  let best = use.paths[0]!;
  for (const p of use.paths) if (p.length > best.length || (p.length === best.length && best.at(-1) === 'name' && p.at(-1) !== 'name')) best = p;
  return best;
}

/** The schema path nearest to `key` (with `*` filled from the key), if close enough to be a typo. */
function nearestPath(key: readonly string[], candidates: readonly string[][]): string[] | undefined {
  const probe = key.join('.').slice(0, 256);
  let best: { path: string[]; d: number } | undefined;
  for (const c of candidates) {
    if (c.length > key.length + 1 || c.length < key.length - 1) continue;
    if (c.some((s, i) => s === '*' && key[i] === undefined)) continue;
    const filled = c.map((s, i) => (s === '*' ? key[i]! : s));
    const text = filled.join('.');
    const limit = editLimit(probe, text);
    if (Math.abs(text.length - probe.length) > limit) continue;
    const d = editDistance(probe, text);
    if (d <= limit && d > 0 && (best === undefined || d < best.d)) best = { path: filled, d };
  }
  return best?.path;
}

/** What the diagnostics need of a schema. */
export interface SchemaView {
  /** The value kind the schema expects at a path (the loader's env coercion answer): the cheap first check. */
  typeAt?: TypeAt | undefined;
  /**
   * The schema's JSON Schema, asked for only when a variable needs it (a key the cheap check
   * does not know, outside any section a lower source holds): it may load a schema module.
   */
  jsonSchema: () => Promise<Readonly<Json> | undefined>;
  /**
   * Whether a source other than the environment holds exactly this key (a file's `server.host`):
   * a variable that overrides such a key is never a typo, whatever its neighbours are called.
   */
  lowerHas?: ((key: readonly string[]) => boolean) | undefined;
}

/**
 * The warnings for the environment variables behind a merged tree (see the module comment).
 * Variables that could not be checked (the schema offers no JSON Schema) give one
 * `env_unchecked` warning.
 */
export async function diagnoseEnv(
  origins: ReadonlyMap<string, OriginRef>,
  values: Readonly<Record<string, unknown>>,
  schema: SchemaView,
): Promise<ConfigWarning[]> {
  const uses = envVarUses(origins);
  if (uses.size === 0) return [];
  const diagnosis = new EnvDiagnosis(origins, values, schema);
  for (const use of [...uses.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) await diagnosis.check(use);
  return diagnosis.finish();
}

type CreatedItem = { list: string[]; index: number; name: string; vars: EnvVarUse[] };

/** One run of the diagnostics: the warnings so far, their budgets, and what was learnt on the way. */
class EnvDiagnosis {
  readonly #warnings: ConfigWarning[] = [];
  #candidates: string[][] | undefined;
  #json: Promise<Readonly<Json> | undefined> | undefined;
  #suggested = 0;
  #dropped = 0;
  #unchecked = 0;
  #lowerChecks = 0;
  readonly #siblingsMemo = new Map<string, string[]>();
  readonly #envOnly = new Map<string, boolean>();
  readonly #createdItems = new Map<string, CreatedItem>();

  constructor(
    readonly origins: ReadonlyMap<string, OriginRef>,
    readonly values: Readonly<Record<string, unknown>>,
    readonly schema: SchemaView,
  ) {}

  /** Checks one variable: a key the schema declares (then its list items), or a warning. */
  async check(use: EnvVarUse): Promise<void> {
    const key = keyOf(use);
    if (this.schema.typeAt?.(key) !== undefined) return this.#noteItems(key, use);
    if (this.schema.lowerHas?.(key)) return;
    const typeAt = this.schema.typeAt;
    const parent = key.slice(0, -1);
    // Outside what the schema declares (a loose root, as the framework's), a section that a
    // lower source holds counts as declared by that source: the variable overrides or adds a
    // key in it, and only a near-miss of a key that source has is suspicious.
    let depth = 0;
    while (typeAt && depth < key.length && typeAt(key.slice(0, depth + 1)) !== undefined) depth++;
    let inLowerSection = parent.length > depth && lowerHolds(this.origins, parent);
    let near: string[] | undefined;
    if (!inLowerSection) {
      const doc = await (this.#json ??= this.schema.jsonSchema());
      if (doc === undefined) {
        this.#unchecked++;
        return;
      }
      const declared = declaredDepth(doc as Json, key);
      if (declared.declared) return this.#noteItems(key, use);
      inLowerSection = parent.length > declared.depth && lowerHolds(this.origins, parent);
      if (this.#canSuggest()) {
        this.#candidates ??= schemaFields(doc).fields.map((f) => f.path.split('.'));
        near = nearestPath(key, this.#candidates);
      }
    }
    // The nearest key the schema declares, else the nearest key a lower source holds. Inside a
    // lower source's section that check decides whether to warn at all, so it has its own budget.
    if (near === undefined && (inLowerSection ? this.#lowerChecks++ < MAX_LOWER_CHECKS : this.#canSuggest())) {
      near = nearLowerKey(this.origins, this.values, key, this.#siblingsMemo);
    }
    if (near === undefined && inLowerSection) return;
    const suggestion = near ? varName(use.prefix, near, delimiterOf(use, key, this.values)) : undefined;
    const keyText = key.join('.');
    this.#push({
      code: 'unknown_env_var',
      message: `${use.name} sets "${keyText}", which the schema does not declare${suggestion ? `; did you mean ${suggestion}?` : ''}`,
      location: { source: `env ${use.name}`, key: keyText },
      ...(suggestion ? { suggestion } : {}),
    });
  }

  /** The warnings: each new named item next to a near name, then the summaries of what was left out. */
  finish(): ConfigWarning[] {
    for (const item of this.#createdItems.values()) this.#warnNearItem(item);
    if (this.#dropped > 0) {
      this.#warnings.push({ code: 'unknown_env_var', message: `${this.#dropped} more environment variable warnings not listed` });
    }
    if (this.#unchecked > 0) {
      const n = this.#unchecked;
      this.#warnings.push({
        code: 'env_unchecked',
        message: `the schema offers no JSON Schema (~standard.jsonSchema), so ${n} environment variable${n === 1 ? ' was' : 's were'} not checked against its keys`,
      });
    }
    return this.#warnings;
  }

  #push(w: ConfigWarning): void {
    if (this.#warnings.length < MAX_WARNINGS) this.#warnings.push(w);
    else this.#dropped++;
  }

  #canSuggest(): boolean {
    return this.#warnings.length < MAX_WARNINGS && this.#suggested++ < MAX_SUGGESTIONS;
  }

  /** Notes a named list item that this variable created (every field of it came from env variables). */
  #noteItems(key: string[], use: EnvVarUse): void {
    for (let i = 1; i < key.length; i++) {
      if (!/^\d+$/.test(key[i]!)) continue;
      const list = key.slice(0, i);
      const id = formatPath([...list, key[i]!]);
      const item = itemAt(this.values, list, Number(key[i]));
      if (!item || typeof item.name !== 'string') continue;
      let created = this.#envOnly.get(id);
      if (created === undefined) this.#envOnly.set(id, (created = fromEnvOnly(this.origins, list, Number(key[i]), item)));
      if (!created) continue;
      const entry = this.#createdItems.get(id) ?? { list, index: Number(key[i]), name: item.name, vars: [] };
      entry.vars.push(use);
      this.#createdItems.set(id, entry);
    }
  }

  /** A warning per variable of a created item whose name is near one a lower source declared. */
  #warnNearItem({ list, index, name, vars }: CreatedItem): void {
    const items = listAt(this.values, list);
    // Names of items that a lower source (a file, defaults) declared: the ones a typo would miss.
    const existing: string[] = [];
    items.forEach((it, i) => {
      if (i !== index && isRecord(it) && typeof it.name === 'string' && !fromEnvOnly(this.origins, list, i, it)) existing.push(it.name);
    });
    const near = closestNames(name, existing, 1)[0];
    if (near === undefined) return;
    for (const use of vars) {
      const key = keyOf(use);
      const at = list.length;
      const suggestion = varName(use.prefix, [...key.slice(0, at), near, ...key.slice(at + 1)], delimiterOf(use, key, this.values));
      this.#push({
        code: 'unknown_env_item',
        message: `${use.name} creates a new item "${name}" in ${list.join('.')} (key ${key.join('.')}) next to "${near}"; did you mean ${suggestion}?`,
        location: { source: `env ${use.name}`, key: key.join('.') },
        suggestion,
      });
    }
  }
}
