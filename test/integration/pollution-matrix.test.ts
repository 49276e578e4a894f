/**
 * The pollution matrix (RELIABILITY "Figures to report" 2; cases P17–P19, E2, E5, M1–M3, C2):
 * payload variants × entry points. Every cell must leave Object/Array/Function prototypes
 * unchanged and end either rejected with a ConfigError (`forbidden_key`) or, where the format
 * makes it the only sane reading, accepted as an inert own key (a literal key that is not a path).
 * The expected outcome of each cell is written down below; the measured cells are written to
 * `.reliability/pollution-matrix.json` for the report.
 */
import { assertNoPoisoning, restoreGlobals } from '@fast-check/poisoning';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdProvider } from '../../src/remote/etcd/index.js';
import { asConfigError } from '../../src/foundation/errors.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { defaultsProvider, memoryProvider } from '../../src/providers/memory.js';
import type { Provider } from '../../src/providers/provider.js';
import type { StandardSchemaV1 } from '../../src/foundation/standard-schema.js';
import { assertBuilt, CLI, cleanEnv } from '../cli/cli-process.js';
import { writeResult } from '../fuzz/harness.js';
import { etcdBinary, startEtcd, type EtcdServer } from '../support/etcd-server.js';
import { tempDir } from '../support/temp.js';

type Entry = 'json' | 'yaml' | 'toml' | 'dotenv' | 'env-var' | 'cli-set' | 'memory' | 'defaults' | 'config-get' | 'etcd-keys' | 'etcd-document' | 'schema';
type Outcome = 'rejected' | 'inert';

/** One payload in each entry point's syntax (absent = the entry point cannot express it). */
interface Payload {
  id: string;
  inputs: Partial<Record<Entry, string>>;
  /** Where the expected outcome is not `rejected`: the entry points that read it as an inert key. */
  inert?: Entry[];
}

/**
 * Known gaps, found by this matrix: the contract says `rejected`, the library accepts (no prototype
 * changes, but the snapshot holds a forbidden own key). Its cells assert that the gap is still
 * there (as `it.fails` would): when it is fixed they fail, and the entry should be removed here.
 */
const KNOWN_GAPS: Partial<Record<Entry, string>> = {};

const V = '{"polluted":"yes"}';
const PAYLOADS: Payload[] = [
  {
    id: '__proto__',
    inputs: {
      json: `{"__proto__": ${V}}`,
      yaml: '__proto__:\n  polluted: yes\n',
      toml: '[__proto__]\npolluted = "yes"\n',
      dotenv: '__proto__=yes\n',
      'env-var': 'APP____PROTO____POLLUTED',
      'cli-set': '__proto__.polluted=yes',
      memory: `{"__proto__": ${V}}`,
      defaults: `{"__proto__": ${V}}`,
      'config-get': '__proto__.polluted',
      'etcd-keys': '/__proto__/polluted',
      'etcd-document': `{"__proto__": ${V}}`,
      schema: `{"__proto__": ${V}}`,
    },
  },
  {
    id: 'constructor.prototype',
    inputs: {
      json: `{"constructor": {"prototype": ${V}}}`,
      yaml: 'constructor:\n  prototype:\n    polluted: yes\n',
      toml: '[constructor.prototype]\npolluted = "yes"\n',
      dotenv: 'constructor=yes\n',
      'env-var': 'APP_CONSTRUCTOR__PROTOTYPE__POLLUTED',
      'cli-set': 'constructor.prototype.polluted=yes',
      memory: `{"constructor": {"prototype": ${V}}}`,
      defaults: `{"constructor": {"prototype": ${V}}}`,
      'config-get': 'constructor.prototype.polluted',
      'etcd-keys': '/constructor/prototype/polluted',
      'etcd-document': `{"constructor": {"prototype": ${V}}}`,
      schema: `{"constructor": {"prototype": ${V}}}`,
    },
  },
  {
    id: 'prototype',
    inputs: {
      json: `{"prototype": ${V}}`,
      yaml: 'prototype:\n  polluted: yes\n',
      toml: 'prototype = { polluted = "yes" }\n',
      dotenv: 'prototype=yes\n',
      'env-var': 'APP_PROTOTYPE__POLLUTED',
      'cli-set': 'prototype.polluted=yes',
      memory: `{"prototype": ${V}}`,
      defaults: `{"prototype": ${V}}`,
      'config-get': 'a.prototype',
      'etcd-keys': '/prototype/polluted',
      'etcd-document': `{"prototype": ${V}}`,
      schema: `{"prototype": ${V}}`,
    },
  },
  {
    id: 'prefixed (a.__proto__)',
    inputs: {
      json: `{"a": {"__proto__": ${V}}}`,
      yaml: 'a:\n  __proto__:\n    polluted: yes\n',
      toml: '[a.__proto__]\npolluted = "yes"\n',
      'env-var': 'APP_A____PROTO____POLLUTED',
      'cli-set': 'a.__proto__.polluted=yes',
      memory: `{"a": {"__proto__": ${V}}}`,
      defaults: `{"a": {"__proto__": ${V}}}`,
      'config-get': 'a.__proto__.polluted',
      'etcd-keys': '/a/__proto__/polluted',
      'etcd-document': `{"a": {"__proto__": ${V}}}`,
      schema: `{"a": {"__proto__": ${V}}}`,
    },
  },
  {
    id: 'dotted / bracketed path',
    inputs: {
      // In JSON/YAML/.env a dotted key is one literal key, not a path.
      json: '{"a.__proto__.polluted": "yes"}',
      yaml: '"a.__proto__.polluted": yes\n',
      // In TOML a dotted key IS a path.
      toml: 'a.__proto__.polluted = "yes"\n',
      'cli-set': 'a["__proto__"].polluted=yes',
      memory: '{"a.__proto__.polluted": "yes"}',
      'config-get': 'a["__proto__"].polluted',
      'etcd-keys': '/a.__proto__.polluted',
    },
    inert: ['json', 'yaml', 'memory', 'etcd-keys'],
  },
  {
    id: '__-separated',
    inputs: {
      // Files and programmatic values do not split on `__`: a literal key.
      json: '{"a____proto____polluted": "yes"}',
      dotenv: 'A____PROTO____POLLUTED=yes\n',
      'env-var': 'APP__A____PROTO____POLLUTED',
      'cli-set': 'a____proto____polluted=yes',
      memory: '{"a____proto____polluted": "yes"}',
    },
    inert: ['json', 'dotenv', 'cli-set', 'memory'],
  },
  {
    id: 'unicode-escaped \\u005f_proto__',
    inputs: {
      json: `{"\\u005f_proto__": ${V}}`,
      yaml: `"\\u005f_proto__":\n  polluted: yes\n`,
      toml: `["\\u005f_proto__"]\npolluted = "yes"\n`,
      'cli-set': `a={"\\u005f_proto__": ${V}}`,
      memory: `{"\\u005f_proto__": ${V}}`,
      'env-var': 'APP_A', // value: a JSON object with the escaped key (coerced: the lower layer has an object)
      'etcd-keys': '/a', // value: the JSON object (keys mode parses JSON values)
      'etcd-document': `{"\\u005f_proto__": ${V}}`,
      schema: `{"\\u005f_proto__": ${V}}`,
    },
  },
  {
    id: 'YAML merge key << (alias to a mapping with __proto__)',
    inputs: {
      yaml: 'a: &a {__proto__: {polluted: yes}}\nb: {<<: *a}\n',
      'etcd-document': 'a: &a {__proto__: {polluted: yes}}\nb: {<<: *a}\n',
    },
  },
  {
    id: 'YAML merge key << (inline mapping with __proto__)',
    inputs: {
      yaml: 'b:\n  <<: {__proto__: {polluted: yes}}\n',
    },
  },
  {
    id: 'shadowing keys (toString, hasOwnProperty, valueOf)',
    inputs: {
      json: '{"toString": "x", "hasOwnProperty": "y", "a": {"valueOf": 1}}',
      yaml: 'toString: x\nhasOwnProperty: y\na:\n  valueOf: 1\n',
      toml: 'toString = "x"\nhasOwnProperty = "y"\n[a]\nvalueOf = 1\n',
      dotenv: 'toString=x\nhasOwnProperty=y\n',
      'env-var': 'APP_TOSTRING',
      'cli-set': 'toString=x',
      memory: '{"toString": "x", "hasOwnProperty": "y", "a": {"valueOf": 1}}',
      defaults: '{"toString": "x", "hasOwnProperty": "y", "a": {"valueOf": 1}}',
      'config-get': 'a.toString',
      'etcd-keys': '/toString',
      'etcd-document': '{"toString": "x", "hasOwnProperty": "y"}',
    },
    inert: ['json', 'yaml', 'toml', 'dotenv', 'env-var', 'cli-set', 'memory', 'defaults', 'config-get', 'etcd-keys', 'etcd-document'],
  },
];

interface Cell {
  payload: string;
  entry: Entry;
  outcome: Outcome | 'accepted-unsafe' | 'error-other';
  code?: string;
  location?: unknown;
  polluted: boolean;
  expected: Outcome;
  note?: string;
  knownGap?: string;
}

const cells: Cell[] = [];
const dir = tempDir();
let etcd: EtcdServer | undefined;
let etcdPrefixSeq = 0;

beforeAll(async () => {
  assertBuilt();
  if (etcdBinary()) etcd = await startEtcd();
}, 60_000);

afterAll(async () => {
  await etcd?.stop();
  writeResult('pollution-matrix', { generatedAt: new Date().toISOString(), cells });
});

const PROTOTYPES_ONLY = { ignoredRootRegex: /^(?!(?:Object|Array|Function)$)/ };

/** True (and globals restored) if any prototype changed. */
function pollutedNow(): boolean {
  const probe = ({} as Record<string, unknown>).polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined;
  try {
    assertNoPoisoning(PROTOTYPES_ONLY);
    return probe;
  } catch {
    restoreGlobals(PROTOTYPES_ONLY);
    delete (Object.prototype as Record<string, unknown>).polluted;
    return true;
  }
}

/** Keys of a tree that are own keys and would be read as prototype names. */
function hasForbiddenOwnKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasForbiddenOwnKey);
  if (v === null || typeof v !== 'object') return false;
  return Object.keys(v).some((k) => ['__proto__', 'constructor', 'prototype'].includes(k) || hasForbiddenOwnKey((v as Record<string, unknown>)[k]));
}

async function viaLoad(sources: Provider[], schema: StandardSchemaV1 | false = false): Promise<unknown> {
  const config = await loadConfig({ sources, schema });
  const value = config.value as Record<string, unknown>;
  // An accepted document must still behave: printing and reading inert keys never throws.
  String(config);
  JSON.stringify(config);
  if (hasForbiddenOwnKey(value)) return 'accepted-unsafe';
  return value;
}

function evilSchema(output: unknown): StandardSchemaV1 {
  return { '~standard': { version: 1, vendor: 'test', validate: () => ({ value: output }) } } as StandardSchemaV1;
}

/** Runs one cell; returns what happened (an `inert` outcome means loaded with only safe own keys). */
async function run(entry: Entry, input: string, payload: Payload): Promise<{ outcome: Cell['outcome']; code?: string; location?: unknown; polluted?: boolean; note?: string }> {
  const file = (ext: string) => {
    const path = join(dir, `cell-${cells.length}.${ext}`);
    writeFileSync(path, input);
    return viaLoad([fileProvider({ path })]);
  };
  switch (entry) {
    case 'json':
      return settle(file('json'));
    case 'yaml':
      return settle(file('yaml'));
    case 'toml':
      return settle(file('toml'));
    case 'dotenv':
      return settle(file('env'));
    case 'env-var': {
      const escaped = payload.id.startsWith('unicode');
      const env = { [input]: escaped ? `{"\\u005f_proto__": ${V}}` : 'yes' };
      return settle(viaLoad([envProvider({ prefix: 'APP', env }), defaultsProvider({ a: {} })]));
    }
    case 'memory':
      return settle(viaLoad([memoryProvider(JSON.parse(input) as Record<string, unknown>)]));
    case 'defaults':
      return settle(viaLoad([defaultsProvider(JSON.parse(input) as Record<string, unknown>)]));
    case 'schema':
      return settle(viaLoad([memoryProvider({ a: 1 })], evilSchema(JSON.parse(input))));
    case 'config-get':
      return settle(
        (async () => {
          const config = await loadConfig({ sources: [memoryProvider({ a: { b: 1 } })], schema: false });
          const got = config.get(input);
          return got === undefined ? {} : 'accepted-unsafe';
        })(),
      );
    case 'cli-set':
      return cliCell(input);
    case 'etcd-keys':
    case 'etcd-document': {
      if (!etcd) throw new Error('etcd is not running (its cells are skipped when etcd is not installed)');
      const prefix = `/pm${etcdPrefixSeq++}`;
      let provider: Provider;
      if (entry === 'etcd-keys') {
        const value = payload.id.startsWith('unicode') ? `{"\\u005f_proto__": ${V}}` : 'yes';
        await etcd.put(`${prefix}${input}`, value);
        provider = etcdProvider({ endpoints: [etcd.endpoint], prefix });
      } else {
        const key = `${prefix}/doc.${input.startsWith('{') ? 'json' : 'yaml'}`;
        await etcd.put(key, input);
        provider = etcdProvider({ endpoints: [etcd.endpoint], prefix, mode: 'document', key });
      }
      try {
        return await settle(viaLoad([provider]));
      } finally {
        await provider.close?.();
      }
    }
  }
}

async function settle(p: Promise<unknown>): Promise<{ outcome: Cell['outcome']; code?: string; location?: unknown }> {
  try {
    const v = await p;
    return { outcome: v === 'accepted-unsafe' ? 'accepted-unsafe' : 'inert' };
  } catch (err) {
    const ce = asConfigError(err);
    if (!ce) return { outcome: 'error-other', code: err instanceof Error ? err.constructor.name : typeof err };
    return { outcome: 'rejected', code: ce.code, location: ce.location };
  }
}

/** `confstack print --set …` in a child that reports (on stderr) whether its Object.prototype changed. */
function cliCell(set: string): { outcome: Cell['outcome']; code?: string; polluted: boolean } {
  const probe = 'data:text/javascript,process.on("exit",()=>{if(({}).polluted!==undefined||Object.prototype.polluted!==undefined)process.stderr.write("\\nPOLLUTED\\n")})';
  const r = spawnSync(process.execPath, ['--import', probe, CLI, 'print', '--json', '--format', 'json', '--set', set], {
    cwd: dir,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  const polluted = r.stderr.includes('POLLUTED');
  if (r.status === 0) return { outcome: 'inert', polluted };
  const m = /"code":"([a-z_]+)"/.exec(r.stderr);
  return { outcome: m ? 'rejected' : 'error-other', ...(m ? { code: m[1]! } : { code: `exit ${r.status}` }), polluted };
}

const TABLE = PAYLOADS.flatMap((p) => (Object.entries(p.inputs) as [Entry, string][]).map(([entry, input]) => ({ payload: p, entry, input, id: p.id })));
const isEtcd = (e: Entry) => e === 'etcd-keys' || e === 'etcd-document';
// scripts/test.sh installs etcd; where it really is missing its cells report skipped, never passed.
const HAS_ETCD = etcdBinary() !== undefined;

describe('pollution matrix', () => {
  const title = '$id via $entry: rejected with forbidden_key or inert, never a prototype change';
  it.each(TABLE.filter((row) => !isEtcd(row.entry)))(title, (row) => checkCell(row));
  it.skipIf(!HAS_ETCD).each(TABLE.filter((row) => isEtcd(row.entry)))(title, (row) => checkCell(row));

  async function checkCell({ payload, entry, input }: (typeof TABLE)[number]): Promise<void> {
    const expected: Outcome = payload.inert?.includes(entry) ? 'inert' : 'rejected';
    const r = await run(entry, input, payload);
    const polluted = pollutedNow() || r.polluted === true;
    const gap = expected === 'rejected' && r.outcome !== 'rejected' ? KNOWN_GAPS[entry] : undefined;
    cells.push({
      payload: payload.id,
      entry,
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
      ...(r.location ? { location: r.location } : {}),
      polluted,
      expected,
      ...(r.note ? { note: r.note } : {}),
      ...(gap ? { knownGap: gap } : {}),
    });
    expect(polluted).toBe(false);
    if (gap) {
      // A known gap asserts that it is still a gap (as it.fails would): fixing it fails this cell,
      // and the entry should then leave KNOWN_GAPS.
      expect(r.outcome).not.toBe('rejected');
      return;
    }
    expect({ outcome: r.outcome, code: r.outcome === 'rejected' ? r.code : undefined }).toEqual({
      outcome: expected,
      code: expected === 'rejected' ? 'forbidden_key' : undefined,
    });
  }

  it('a schema whose output holds a forbidden key deep down is rejected with forbidden_key naming its path', async () => {
    const schema = evilSchema(JSON.parse('{"a": [{"b": {"__proto__": {"polluted": "yes"}}}]}'));
    await expect(loadConfig({ sources: [memoryProvider({ a: 1 })], schema })).rejects.toMatchObject({
      code: 'forbidden_key',
      op: 'validate',
      location: { key: 'a.0.b.__proto__' },
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a schema output that froze its own subtree, or shares and cycles it, is still checked and terminates', async () => {
    const frozen = Object.freeze(JSON.parse('{"__proto__": {"polluted": "yes"}}') as object);
    await expect(loadConfig({ sources: [memoryProvider({ a: 1 })], schema: evilSchema({ a: { b: frozen } }) })).rejects.toMatchObject({
      code: 'forbidden_key',
      location: { key: 'a.b.__proto__' },
    });
    const shared: Record<string, unknown> = { x: 1 };
    shared.self = shared;
    const config = await loadConfig({ sources: [memoryProvider({ a: 1 })], schema: evilSchema({ left: shared, right: shared }) });
    expect(Object.isFrozen(config.value)).toBe(true);
    expect(config.get('left.x')).toBe(1);
  });

  it('an accepted document with shadowing keys still reads them as plain values', async () => {
    const path = join(dir, 'shadow.json');
    writeFileSync(path, '{"toString": "x", "hasOwnProperty": "y", "a": {"valueOf": 1}}');
    const config = await loadConfig({ sources: [fileProvider({ path })], schema: false });
    expect(config.get('toString')).toBe('x');
    expect(config.get('hasOwnProperty')).toBe('y');
    expect(config.get('a.valueOf')).toBe(1);
    expect(config.isSet('a.toString')).toBe(false);
    expect(() => String(config)).not.toThrow();
  });
});
