/**
 * Warm load: read one config file, apply the 10 env overrides, validate where the library can.
 * Every contestant of a size × format group is sampled round-robin in this one process, and
 * each result is checked (the overrides it claims really landed) before anything is timed.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig as c12LoadConfig } from 'c12';
import { envProvider, fileProvider, loadConfig } from 'confstack';
import { FrameworkConfigSchema } from 'confstack/schema';
import convict from 'convict';
import jsYaml from 'js-yaml';
import nconf from 'nconf';
import { parse as parseToml } from 'smol-toml';
import {
  appConfig,
  ENV_OVERRIDES,
  fixturePath,
  FORMATS,
  NOMINAL_BYTES,
  OVERRIDES,
  PLAIN_OVERRIDES,
  SIZES,
  type Format,
  type Override,
  type Size,
} from '../fixtures.js';
import { formatMs, formatRatio, sampleInterleaved, type SampleOptions } from '../lib/measure.js';
import type { BenchCase, BenchContext, Goal, Row } from '../lib/types.js';

type Tree = Record<string, unknown>;
type LoadFn = () => unknown;

interface Contestant {
  readonly name: string;
  /** Which overrides it applies (checked on its output). */
  readonly applies: readonly Override[];
  /** For the table row: what it does of the work. */
  readonly short: string;
  /** For the section notes: how, and why not more. */
  readonly note: string;
  /** Why it cannot load a format, if it cannot. */
  readonly cannot?: Partial<Record<Format, string>>;
  /** One-time setup before the first prepare. */
  init?(): Promise<void>;
  /** A loader for one fixture; the promise or value it returns resolves to the plain config. */
  prepare(size: Size, format: Format, path: string): LoadFn;
}

const FLOOR = 'floor (fastest parser + overrides by hand)';
const FLOOR_ZOD = 'floor + zod';
const PEERS = ['node-config', 'convict', 'c12', 'nconf'] as const;

/** What each size samples: the 3 MB loads of slow peers take seconds each. */
function samplingFor(size: Size, quick: boolean): SampleOptions {
  if (quick) return { warmup: 1, minSamples: size === '3MB' ? 1 : 3, minTimeMs: 0 };
  switch (size) {
    case '3KB':
      return { warmup: 20, minSamples: 60, minTimeMs: 200 };
    case '100KB':
      return { warmup: 3, minSamples: 30, minTimeMs: 200 };
    case '3MB':
      return { warmup: 2, minSamples: 9, minTimeMs: 0 };
  }
}

const PARSERS: Readonly<Record<Format, (text: string) => unknown>> = {
  yaml: (text) => jsYaml.load(text),
  json: (text) => JSON.parse(text),
  toml: (text) => parseToml(text),
};

/** Walks an override path; a `{ name }` segment finds the list item with that name. */
function locate(root: Tree, path: Override['path']): { parent: Tree; key: string } | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (typeof seg === 'string') node = (node as Tree | undefined)?.[seg];
    else node = Array.isArray(node) ? node.find((item: Tree) => item?.name === seg.name) : undefined;
    if (node === null || typeof node !== 'object') return undefined;
  }
  return { parent: node as Tree, key: path[path.length - 1] as string };
}

function valueAt(root: Tree, path: Override['path']): unknown {
  const at = locate(root, path);
  return at?.parent[at.key];
}

/**
 * The hand-written override code an application would carry: a fixed table of variables, each
 * coerced to the type it replaces, list items found by name.
 */
function applyByHand(root: Tree, env: NodeJS.ProcessEnv): void {
  for (const o of OVERRIDES) {
    const raw = env[o.env];
    if (raw === undefined) continue;
    const at = locate(root, o.path);
    if (!at) continue;
    const old = at.parent[at.key];
    at.parent[at.key] = typeof old === 'number' ? Number(raw) : typeof old === 'boolean' ? raw === 'true' : raw;
  }
}

/** The plain-key overrides as a nested object, for c12 (which has no env mapping of its own). */
function plainOverridesFromEnv(env: NodeJS.ProcessEnv): Tree {
  const out: Tree = {};
  for (const o of PLAIN_OVERRIDES) {
    const raw = env[o.env];
    if (raw === undefined) continue;
    let node = out;
    for (const seg of o.path.slice(0, -1) as string[]) node = (node[seg] ??= {}) as Tree;
    node[o.path[o.path.length - 1] as string] = typeof o.value === 'number' ? Number(raw) : raw;
  }
  return out;
}

const ENV_PREFIX = 'CONFSTACK_';

const confstack: Contestant = {
  name: 'confstack',
  short: '10 of 10 overrides, validated, provenance',
  applies: OVERRIDES,
  note: 'all 10 overrides, framework schema with cross-references (the default validator), provenance',
  prepare: (_size, _format, path) => async () => (await loadConfig({ sources: [envProvider(), fileProvider({ path })] })).value,
};

/** Issue 2's comparison: provenance on, no validation, against the floor without zod. */
const CONFSTACK_NO_SCHEMA = 'confstack (schema: false)';
const confstackNoSchema: Contestant = {
  name: CONFSTACK_NO_SCHEMA,
  short: '10 of 10 overrides, provenance, no validation',
  applies: OVERRIDES,
  note: 'all 10 overrides and provenance, validation off (schema: false)',
  prepare: (_size, _format, path) => async () => (await loadConfig({ sources: [envProvider(), fileProvider({ path })], schema: false })).value,
};

const floor: Contestant = {
  name: FLOOR,
  short: '10 of 10 overrides, no validation',
  applies: OVERRIDES,
  note: 'readFileSync + js-yaml / JSON.parse / smol-toml + 10 overrides by hand; no validation, no provenance',
  prepare: (_size, format, path) => () => {
    const value = PARSERS[format](readFileSync(path, 'utf8')) as Tree;
    applyByHand(value, process.env);
    return value;
  },
};

const floorZod: Contestant = {
  name: FLOOR_ZOD,
  short: '10 of 10 overrides, zod (baseline)',
  applies: OVERRIDES,
  note: 'the floor, then FrameworkConfigSchema.safeParse (zod); no provenance',
  prepare: (size, format, path) => {
    const parseAndOverride = floor.prepare(size, format, path) as () => Tree;
    return () => {
      const result = FrameworkConfigSchema.safeParse(parseAndOverride());
      if (!result.success) throw new Error(`floor + zod: fixture invalid: ${result.error.message}`);
      return result.data;
    };
  },
};

/**
 * node-config: `config.util.loadFileConfigs(dir)` builds a fresh Load and scans the directory
 * (default.<ext>, then custom-environment-variables.json), the same work as its first import,
 * without the process-wide cache. Its mapping file can only name object keys, so the list items
 * are out of reach.
 */
function nodeConfig(work: string): Contestant {
  const mapping: Tree = {};
  for (const o of PLAIN_OVERRIDES) {
    let node = mapping;
    for (const seg of o.path.slice(0, -1) as string[]) node = (node[seg] ??= {}) as Tree;
    node[o.path[o.path.length - 1] as string] = typeof o.value === 'string' ? o.env : { __name: o.env, __format: 'json' };
  }
  let util: { loadFileConfigs(dir: string): Tree } | undefined;
  return {
    name: 'node-config',
    short: '5 of 10 overrides, no validation',
    applies: PLAIN_OVERRIDES,
    note: '5 of 10 overrides (custom-environment-variables cannot address list items); no validation; YAML via the `yaml` package, JSON via JSON5 (its own choices)',
    cannot: { toml: 'cannot load TOML here: node-config needs the optional `toml` package, not a dependency of this project' },
    prepare: (size, format, path) => {
      const dir = join(work, 'node-config', `${size}-${format}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, join(dir, `default.${format}`));
      writeFileSync(join(dir, 'custom-environment-variables.json'), JSON.stringify(mapping));
      return () => {
        if (!util) throw new Error('node-config not imported');
        return util.loadFileConfigs(dir);
      };
    },
    async init() {
      // node-config reads NODE_CONFIG_DIR once, at import: point it at an empty directory.
      const empty = join(work, 'node-config', 'empty');
      mkdirSync(empty, { recursive: true });
      process.env.NODE_CONFIG_DIR = empty;
      process.env.SUPPRESS_NO_CONFIG_WARNING = '1';
      util = ((await import('config')).default as unknown as { util: typeof util }).util;
    },
  };
}

/** convict's schema for the fixture: every plain key typed, the five lists as named lists. */
function convictSchema(): Tree {
  const sample = appConfig('3KB');
  const envFor = new Map(PLAIN_OVERRIDES.map((o) => [(o.path as string[]).join('.'), o.env]));
  const build = (value: unknown, path: string): Tree => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, build(v, path ? `${path}.${k}` : k)]));
    }
    const format = Array.isArray(value)
      ? typeof value[0] === 'object' ? 'named-list' : Array
      : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : Number)
      : typeof value === 'boolean' ? Boolean : String;
    const env = envFor.get(path);
    return { default: Array.isArray(value) ? [] : value, format, ...(env ? { env } : {}) };
  };
  return build(sample, '');
}

function convictContestant(): Contestant {
  convict.addParser([
    { extension: ['yaml', 'yml'], parse: (text: string) => jsYaml.load(text) },
    { extension: 'toml', parse: (text: string) => parseToml(text) },
  ]);
  convict.addFormat({
    name: 'named-list',
    validate(list: unknown) {
      if (!Array.isArray(list)) throw new Error('must be a list');
      const seen = new Set<string>();
      for (const item of list as Tree[]) {
        const name = item?.name;
        if (typeof name !== 'string' || name.trim() === '') throw new Error('every item needs a name');
        if (seen.has(name)) throw new Error(`duplicate name ${name}`);
        seen.add(name);
      }
    },
  });
  const schema = convictSchema();
  return {
    name: 'convict',
    short: '5 of 10 overrides, partial validation',
    applies: PLAIN_OVERRIDES,
    note: '5 of 10 overrides (`env` binds whole schema keys, not list items); validates plain key types and list item names, not items or cross-references; YAML/TOML via addParser (js-yaml, smol-toml), JSON via its JSON5',
    prepare: (_size, _format, path) => () => {
      const c = convict(schema as convict.Schema<Tree>);
      c.loadFile(path);
      c.validate({ allowed: 'strict' });
      return c.getProperties();
    },
  };
}

function c12Contestant(work: string): Contestant {
  const options = (cwd: string, configFile: string) =>
    ({ cwd, configFile, rcFile: false, packageJson: false, dotenv: false, globalRc: false }) as const;
  const cannot: Partial<Record<Format, string>> = {};
  return {
    name: 'c12',
    short: '5 of 10 overrides (mapped by hand), no validation',
    applies: PLAIN_OVERRIDES,
    note: '5 of 10 overrides: c12 has no env mapping, so the plain keys are mapped by hand into `overrides` (its defu merge concatenates lists, so list items are out of reach); no validation; YAML/TOML via confbox',
    cannot,
    async init() {
      // c12 imports .json through jiti, which hands back the first parse on later loads: a
      // warm re-load would time a cache hit. Probe it rather than assume.
      const dir = join(work, 'c12-probe');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'config.json');
      writeFileSync(file, '{"v":1}');
      await c12LoadConfig(options(dir, 'config.json'));
      writeFileSync(file, '{"v":2}');
      const again = (await c12LoadConfig(options(dir, 'config.json'))).config as Tree;
      if (again.v !== 2) {
        cannot.json =
          'not comparable: c12 loads .json through jiti, which returns the first parse on later loads (checked: a rewritten file is not re-read), so a warm re-load would time a cache hit';
      }
    },
    prepare: (_size, format, path) => async () =>
      (await c12LoadConfig({ ...options(join(path, '..'), `config.${format}`), overrides: plainOverridesFromEnv(process.env) })).config,
  };
}

function nconfContestant(): Contestant {
  const formats: Record<Format, { parse(text: string): unknown; stringify(v: unknown): string }> = {
    yaml: { parse: (t) => jsYaml.load(t), stringify: (v) => jsYaml.dump(v) },
    json: nconf.formats.json as never,
    toml: { parse: (t) => parseToml(t), stringify: () => '' },
  };
  const whitelist = PLAIN_OVERRIDES.map((o) => o.env.slice(ENV_PREFIX.length).toLowerCase());
  return {
    name: 'nconf',
    short: '5 of 10 overrides, no validation',
    applies: PLAIN_OVERRIDES,
    note: '5 of 10 overrides (a `__` path sets keys on a list, it cannot select an item by name, so only the plain ones are whitelisted); no validation; YAML/TOML via a custom format (js-yaml, smol-toml)',
    prepare: (_size, format, path) => () => {
      const p = new nconf.Provider();
      p.env({
        separator: '__',
        parseValues: true,
        whitelist,
        transform: (e: { key: string; value: unknown }) =>
          e.key.startsWith(ENV_PREFIX) ? { key: e.key.slice(ENV_PREFIX.length).toLowerCase(), value: e.value } : null,
      });
      p.file({ file: path, format: formats[format] });
      return p.get() as Tree;
    },
  };
}

/** Fails loudly when a contestant's output is missing an override it claims to apply or part of a list. */
function check(c: Contestant, value: unknown, label: string, agentCount: number): void {
  if (value === null || typeof value !== 'object') throw new Error(`${c.name} ${label}: no config returned`);
  for (const o of c.applies) {
    const got = valueAt(value as Tree, o.path);
    if (got !== o.value) throw new Error(`${c.name} ${label}: ${o.env} gave ${JSON.stringify(got)}, expected ${JSON.stringify(o.value)}`);
  }
  const agents = (value as Tree).agents;
  if (!Array.isArray(agents) || agents.length !== agentCount) throw new Error(`${c.name} ${label}: lists not loaded whole`);
}

function kb(size: Size): number {
  return NOMINAL_BYTES[size] / 1024;
}

export const run: BenchCase = async (ctx: BenchContext) => {
  const work = join(ctx.fixturesDir, 'peers');
  const contestants: Contestant[] = [confstack, floorZod, confstackNoSchema, floor, nodeConfig(work), convictContestant(), c12Contestant(work), nconfContestant()];
  for (const c of contestants) await c.init?.();

  const saved = new Map(Object.keys(ENV_OVERRIDES).map((k) => [k, process.env[k]]));
  Object.assign(process.env, ENV_OVERRIDES);
  const rows: Row[] = [];
  const medians = new Map<string, number>();
  try {
    for (const size of SIZES) {
      const agentCount = (appConfig(size).agents as unknown[]).length;
      for (const format of FORMATS) {
        const group = `${size} ${format}`;
        const path = fixturePath(ctx.fixturesDir, size, format);
        const able = contestants.filter((c) => !c.cannot?.[format]);
        const fns = able.map((c) => c.prepare(size, format, path));
        for (let i = 0; i < able.length; i++) check(able[i]!, await fns[i]!(), group, agentCount);
        ctx.log(`load: ${group} (${able.length} contestants)`);
        const sampled = await sampleInterleaved(fns, samplingFor(size, ctx.quick));
        const base = sampled[able.indexOf(floorZod)]!.median;
        for (const c of contestants) {
          const k = able.indexOf(c);
          if (k < 0) {
            rows.push({ name: c.name, group, note: c.cannot![format]! });
            continue;
          }
          const s = sampled[k]!;
          medians.set(`${c.name}|${group}`, s.median);
          rows.push({ name: c.name, group, median: s.median, p99: s.p99, ratio: s.median / base, note: c.short });
        }
      }
    }
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  const m = (name: string, size: Size, format: Format): number => medians.get(`${name}|${size} ${format}`) ?? Number.NaN;
  const goals: Goal[] = [];
  /** One goal over every format the pair could both load; met only if it holds for each. */
  const ratioGoal = (goal: string, fn: (f: Format) => number, limit: number, strict: boolean, context = ''): void => {
    const figures = FORMATS.map((f) => [f, fn(f)] as const).filter(([, r]) => Number.isFinite(r));
    goals.push({
      goal,
      measured: (figures.map(([f, r]) => `${f} ${formatRatio(r)}`).join(' · ') || '—') + context,
      met: figures.length > 0 && figures.every(([, r]) => (strict ? r < limit : r <= limit)),
    });
  };
  for (const peer of PEERS) {
    for (const size of SIZES) {
      if (peer === 'c12' && size === '3KB') continue;
      ratioGoal(`confstack faster than ${peer} at ~${size} (confstack / ${peer})`, (f) => m('confstack', size, f) / m(peer, size, f), 1, true);
    }
  }
  for (const size of SIZES) {
    const limit = size === '3KB' ? 2 : 1.3;
    ratioGoal(`confstack ≤ ${limit}× floor + zod at ~${size}`, (f) => m('confstack', size, f) / m(FLOOR_ZOD, size, f), limit, false);
  }
  for (const size of ['3KB', '100KB'] as const) {
    const limit = size === '3KB' ? 2 : 1.3;
    ratioGoal(`without validation, confstack ≤ ${limit}× the floor at ~${size} (provenance on)`, (f) => m(CONFSTACK_NO_SCHEMA, size, f) / m(FLOOR, size, f), limit, false);
  }
  // Linear growth: the cost per KB at 3 MB is no more than 1.25× that at 100 KB (3 KB is dominated by fixed costs).
  const perKb = (size: Size, f: Format, name = 'confstack'): number => m(name, size, f) / kb(size);
  const growth = (f: Format, name?: string): number => perKb('3MB', f, name) / perKb('100KB', f, name);
  ratioGoal(
    'confstack cost grows linearly ~100 KB → ~3 MB (per-KB cost at 3 MB ≤ 1.25× that at 100 KB)',
    (f) => growth(f),
    1.25,
    false,
    ` (floor + zod: ${FORMATS.map((f) => `${f} ${formatRatio(growth(f, FLOOR_ZOD))}`).join(' · ')})`,
  );
  const perKbNote = FORMATS.map(
    (f) => `${f}: ${SIZES.map((s) => `${s} ${formatMs(perKb(s, f))}/KB`).join(', ')}`,
  ).join('; ');

  return {
    id: 'load',
    title: 'Warm load (file + 10 env overrides + validation)',
    description:
      'One load of a config file of each size and format with the same 10 CONFSTACK_ overrides set, in a warm process; contestants sampled round-robin. Ratio: median against the floor + zod (fastest parser, overrides by hand, zod validation of the framework schema) of the same size and format.',
    columns: ['median', 'p99', 'ratio', 'note'],
    rows,
    goals,
    notes: [
      ...contestants.map((c) => `${c.name}: ${c.note}.`),
      `confstack time per KB (median / nominal size) — ${perKbNote}.`,
      'node-config is re-loaded warm through `config.util.loadFileConfigs(dir)`: a fresh Load that scans default.<ext> and custom-environment-variables.json, i.e. its import-time work without the process-wide cache (immutability is not applied).',
      'Each contestant’s output is checked before timing: every override it claims is present with the right type, and every list is loaded whole.',
      `Sampling: ${SIZES.map((s) => {
        const o = samplingFor(s, ctx.quick);
        return `${s} ≥ ${o.minSamples} rounds (${o.warmup} warm-up)`;
      }).join(', ')}; p99 of few samples is close to the maximum.`,
    ],
  };
};
