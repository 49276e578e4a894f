/**
 * The official conformance suites (JSONTestSuite, toml-test 1.0.0, yaml-test-suite), read from
 * `shared/conformance/` beside the repository (CI clones the repo next to a copy of `shared/`;
 * a worktree may sit deeper, so every ancestor is tried). Each case runs the way a file is
 * loaded: bytes -> decodeText -> format.parse. `judge` applies the acceptance rule.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/foundation/errors.js';
import { decodeText } from '../../src/formats/decode.js';
import type { Format } from '../../src/formats/format.js';
import { TomlDateTime } from '../../src/tree/datetime.js';
import { resolveLimits } from '../../src/tree/limits.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** `<ancestor>/shared/conformance` nearest to the repository, or undefined when absent. */
export const SUITES_DIR: string | undefined = (() => {
  for (let dir = dirname(REPO.replace(/\/$/, '')); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'conformance');
    if (existsSync(join(candidate, 'SOURCES'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
})();

export interface Case {
  readonly id: string;
  readonly bytes: Uint8Array;
  /** true: must be accepted (or refused in a documented class); false: must be rejected; 'either'. */
  readonly valid: boolean | 'either';
  /** The expected value, when the suite gives one (undefined: not checked). */
  readonly expected?: () => unknown;
}

/** Refusals of valid input that the library documents (docs/application-authors.md, "Formats"). */
export type RefusalClass =
  | 'root not a mapping'
  | 'multiple documents'
  | 'duplicate key'
  | 'forbidden key'
  | 'integer beyond exact range'
  | 'number beyond the range of a double'
  | 'depth limit'
  | 'invalid encoding'
  | 'non-core YAML tag'
  | 'collection key';

export type Outcome =
  | { kind: 'accepted'; value: Record<string, unknown> }
  | { kind: 'rejected'; error: ConfigError }
  | { kind: 'crashed'; error: unknown };

export function run(format: Format, c: Case): Outcome {
  try {
    const text = decodeText(c.bytes, c.id, { format: format.name });
    return { kind: 'accepted', value: format.parse(text, { source: c.id, limits: resolveLimits() }).values };
  } catch (error) {
    return error instanceof ConfigError ? { kind: 'rejected', error } : { kind: 'crashed', error };
  }
}

/** The documented class of a refusal, or undefined when the error is not one of them. */
export function refusalClass(err: ConfigError): RefusalClass | undefined {
  const reason = err.context?.reason;
  if (err.code === 'duplicate_key') return 'duplicate key';
  if (err.code === 'forbidden_key') return 'forbidden key';
  if (err.code === 'limit_exceeded' && err.context?.limit === 'maxDepth') return 'depth limit';
  switch (reason) {
    case 'root not a mapping':
    case 'multiple documents':
    case 'collection key':
      return reason;
    case 'precision':
    case 'range':
      return 'integer beyond exact range';
    case 'float range':
      return 'number beyond the range of a double';
    case 'encoding':
      return 'invalid encoding';
    case 'unsupported tag':
      return 'non-core YAML tag';
    default:
      return undefined;
  }
}

export type Verdict =
  | { ok: true; how: 'accepted' | 'rejected' | RefusalClass }
  | { ok: false; why: string };

/**
 * The acceptance rule: a valid case is accepted with the expected value or refused in a
 * documented class; an invalid case is rejected with a ConfigError; nothing else throws.
 */
export function judge(c: Case, outcome: Outcome, equal: (actual: unknown, expected: unknown) => boolean): Verdict {
  if (outcome.kind === 'crashed') return { ok: false, why: `threw ${String(outcome.error)}` };
  if (c.valid === 'either') return { ok: true, how: outcome.kind };
  if (c.valid === false) return outcome.kind === 'rejected' ? { ok: true, how: 'rejected' } : { ok: false, why: 'accepted an invalid document' };
  if (outcome.kind === 'rejected') {
    const cls = refusalClass(outcome.error);
    return cls !== undefined ? { ok: true, how: cls } : { ok: false, why: `refused: ${outcome.error.message}` };
  }
  if (c.expected !== undefined) {
    const expected = c.expected();
    if (!equal(outcome.value, expected)) return { ok: false, why: `value ${show(outcome.value)} expected ${show(expected)}` };
  }
  return { ok: true, how: 'accepted' };
}

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** Deep equality for plain data; NaN equals NaN, -0 equals 0. */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof TomlDateTime || b instanceof TomlDateTime) {
    return a instanceof TomlDateTime && b instanceof TomlDateTime && a.kind === b.kind && sameInstantText(a.text, b.text);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && plainEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** toml-test writes `.6` as `.600`: fraction digits compare without trailing zeros. */
function sameInstantText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\.(\d*?)0*(?=$|[Zz+-])/, (_m, d: string) => (d === '' ? '' : `.${d}`)).toUpperCase();
  return norm(a) === norm(b);
}

// ---------------------------------------------------------------------------------------------
// JSONTestSuite

export function jsonCases(root: string): Case[] {
  const dir = join(root, 'json', 'test_parsing');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      const valid = f.startsWith('y_') ? true : f.startsWith('n_') ? false : 'either';
      return {
        id: `json/${f}`,
        bytes,
        valid,
        // The suite gives no expected values; y_ files are plain JSON that JSON.parse reads right.
        ...(valid === true ? { expected: () => JSON.parse(new TextDecoder().decode(bytes)) as unknown } : {}),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// toml-test (the files-toml-1.0.0 list)

export function tomlCases(root: string): Case[] {
  const dir = join(root, 'toml');
  const list = readFileSync(join(dir, 'files-toml-1.0.0'), 'utf8').split('\n').filter((l) => l.endsWith('.toml'));
  return list.sort().map((rel) => {
    const valid = rel.startsWith('valid/');
    const jsonPath = join(dir, rel.replace(/\.toml$/, '.json'));
    return {
      id: `toml/${rel}`,
      bytes: readFileSync(join(dir, rel)),
      valid,
      ...(valid ? { expected: () => untag(JSON.parse(readFileSync(jsonPath, 'utf8'))) } : {}),
    };
  });
}

/** toml-test's tagged JSON ({"type":"integer","value":"1"}) -> the values confstack returns. */
function untag(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untag);
  if (v === null || typeof v !== 'object') return v;
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec);
  if (keys.length === 2 && typeof rec.type === 'string' && typeof rec.value === 'string') {
    const s = rec.value;
    switch (rec.type) {
      case 'string':
        return s;
      case 'integer':
        return Number(s);
      case 'float':
        return s === 'nan' || s === '+nan' || s === '-nan' ? NaN : s.endsWith('inf') ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
      case 'bool':
        return s === 'true';
      case 'datetime':
      case 'datetime-local':
      case 'date-local':
      case 'time-local':
        return new TomlDateTime(s);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = untag(rec[k]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// yaml-test-suite

export function yamlCases(root: string): Case[] {
  const dir = join(root, 'yaml');
  const out: Case[] = [];
  const visit = (d: string, id: string): void => {
    if (existsSync(join(d, 'in.yaml'))) {
      const valid = !existsSync(join(d, 'error'));
      const json = join(d, 'in.json');
      const events = join(d, 'test.event');
      let expected: (() => unknown) | undefined;
      if (valid && existsSync(json)) expected = () => firstJsonDocument(readFileSync(json, 'utf8'));
      else if (valid && existsSync(events)) expected = () => composeEvents(readFileSync(events, 'utf8'));
      out.push({ id: `yaml/${id}`, bytes: readFileSync(join(d, 'in.yaml')), valid, ...(expected ? { expected } : {}) });
      return;
    }
    for (const e of readdirSync(d, { withFileTypes: true }).filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      visit(join(d, e.name), id === '' ? e.name : `${id}/${e.name}`);
    }
  };
  visit(dir, '');
  return out;
}

/** in.json holds one JSON value per document; an empty document reads as `{}` (an empty config). */
function firstJsonDocument(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const v: unknown = JSON.parse(trimmed);
  return v === null ? {} : v;
}

/**
 * The suite's event stream (test.event) composed into plain data with the YAML 1.2 core schema,
 * for the valid cases without in.json. Keys are stringified the way a JS object holds them.
 */
export function composeEvents(text: string): unknown {
  const anchors = new Map<string, unknown>();
  type Frame = { kind: 'map'; obj: Record<string, unknown>; key: unknown; hasKey: boolean; anchor?: string } | { kind: 'seq'; arr: unknown[]; anchor?: string };
  const stack: Frame[] = [];
  let root: unknown;
  let done = false;
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (!done) root = v;
      done = true;
    } else if (top.kind === 'seq') top.arr.push(v);
    else if (!top.hasKey) {
      top.key = v;
      top.hasKey = true;
    } else {
      const k = top.key === null ? 'null' : typeof top.key === 'object' ? JSON.stringify(top.key) : String(top.key);
      top.obj[k] = v;
      top.hasKey = false;
    }
  };
  for (const line of text.split('\n')) {
    const m = /^([+=-])(STR|DOC|MAP|SEQ|VAL|ALI)\s?(.*)$/.exec(line);
    if (m === null) continue;
    const [, op, what, rest = ''] = m;
    const anchor = /(?:^|\s)&(\S+)/.exec(rest)?.[1];
    const tag = /<([^>]*)>/.exec(rest)?.[1];
    if (op === '+' && (what === 'MAP' || what === 'SEQ')) {
      const frame: Frame = what === 'MAP' ? { kind: 'map', obj: {}, key: undefined, hasKey: false } : { kind: 'seq', arr: [] };
      if (anchor !== undefined) {
        frame.anchor = anchor;
        anchors.set(anchor, frame.kind === 'map' ? frame.obj : frame.arr);
      }
      stack.push(frame);
    } else if (op === '-' && (what === 'MAP' || what === 'SEQ')) {
      const frame = stack.pop()!;
      put(frame.kind === 'map' ? frame.obj : frame.arr);
    } else if (what === 'VAL') {
      const body = rest.replace(/^(?:&\S+\s+)?(?:<[^>]*>\s+)?/, '');
      const style = body[0];
      const raw = unescapeEvent(body.slice(1));
      const v = style === ':' && (tag === undefined || tag === '!') ? (tag === '!' ? raw : resolvePlain(raw)) : resolveTagged(raw, tag);
      if (anchor !== undefined) anchors.set(anchor, v);
      put(v);
    } else if (what === 'ALI') {
      put(anchors.get(rest.replace(/^\*/, '')));
    }
  }
  return root === null || root === undefined ? {} : root;
}

function unescapeEvent(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', '\\': '\\', '0': '\0', f: '\f' })[c] ?? c);
}

function resolveTagged(raw: string, tag: string | undefined): unknown {
  switch (tag) {
    case 'tag:yaml.org,2002:int':
    case 'tag:yaml.org,2002:float':
    case 'tag:yaml.org,2002:bool':
    case 'tag:yaml.org,2002:null':
      return resolvePlain(raw);
    default:
      return raw;
  }
}

/** The YAML 1.2 core schema's resolution of a plain scalar. */
export function resolvePlain(s: string): unknown {
  if (/^(?:~|null|Null|NULL|)$/.test(s)) return null;
  if (/^(?:true|True|TRUE)$/.test(s)) return true;
  if (/^(?:false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

// ---------------------------------------------------------------------------------------------
// The bare parsers confstack wraps, judged by the plain rule (valid: accepted with the expected
// value; invalid: throws), for the report's comparison.

export function bareVerdict(c: Case, parse: (text: string) => unknown): boolean {
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(c.bytes);
    value = parse(text);
  } catch {
    return c.valid !== true;
  }
  if (c.valid === 'either') return true;
  if (c.valid === false) return false;
  if (c.expected === undefined) return true;
  const expected = c.expected();
  return plainEqual(value, expected) || plainEqual(normalizeBare(value), expected);
}

/** null root -> {} (the suites' empty document), smol-toml's TomlDate -> TomlDateTime. */
function normalizeBare(v: unknown, root = true): unknown {
  if (root && (v === null || v === undefined)) return {};
  if (v instanceof Date) {
    try {
      return new TomlDateTime(v.toISOString());
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map((x) => normalizeBare(x, false));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = normalizeBare((v as Record<string, unknown>)[k], false);
    return out;
  }
  return v;
}

/** Writes `.reliability/<name>.json` for scripts/reliability-report.ts. */
export function writeReliabilityResult(name: string, data: unknown): void {
  const dir = join(REPO, '.reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}
