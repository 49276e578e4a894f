/**
 * Input generators for the fuzz campaign: hostile keys, structure-aware documents per format
 * (serialised random trees and token soups), and byte/line mutations of seed documents (the
 * canonical and invalid fixtures). Shared by the fuzz tests; not published.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { stringify as tomlStringify } from 'smol-toml';

const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every fixture (canonical and invalid) whose name ends with one of `exts`, as text. */
export function seedsFor(...exts: string[]): string[] {
  const out: string[] = [];
  for (const dir of ['canonical', 'invalid']) {
    for (const f of readdirSync(`${FIXTURES}${dir}`).sort()) {
      if (exts.some((e) => f.endsWith(e))) out.push(readFileSync(`${FIXTURES}${dir}/${f}`, 'utf8'));
    }
  }
  return out;
}

/** Keys a hostile document would use: prototype names, look-alikes, separators, unicode, empty. */
export const hostileKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '__defineGetter__',
      'isAdmin',
      'polluted',
      'a.b',
      'a__b',
      '__PROTO__',
      'Constructor',
      '\u005f_proto__',
      '＿＿proto＿＿',
      '0',
      '-1',
      '',
      ' ',
      'name',
      'a[0]',
    ),
  },
);

/** JSON-like trees with hostile keys and edge-case scalars. */
export const hostileTree: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.constantFrom(2 ** 53 + 1, -0, 1e308, 5e-324),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('tree')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  tree: fc.dictionary(hostileKey, tie('node'), { maxKeys: 5 }),
})).tree as fc.Arbitrary<Record<string, unknown>>;

type Mutation = [kind: number, at: number, len: number, token: string];

/** Applies byte/line mutations: replace, delete, insert a token, duplicate a slice, swap lines, truncate. */
export function mutate(text: string, ops: readonly Mutation[]): string {
  let s = text;
  for (const [kind, atRaw, lenRaw, token] of ops) {
    const at = s.length === 0 ? 0 : atRaw % (s.length + 1);
    const len = lenRaw % 16;
    switch (kind) {
      case 0: // replace a span with the token
        s = s.slice(0, at) + token + s.slice(at + len);
        break;
      case 1: // delete a span
        s = s.slice(0, at) + s.slice(at + len + 1);
        break;
      case 2: // insert the token
        s = s.slice(0, at) + token + s.slice(at);
        break;
      case 3: // duplicate a slice (repeats keys, nests brackets)
        s = s.slice(0, at) + s.slice(at, at + len * 4).repeat(1 + (lenRaw % 3)) + s.slice(at);
        break;
      case 4: {
        // swap two lines
        const lines = s.split('\n');
        if (lines.length > 1) {
          const i = atRaw % lines.length;
          const j = lenRaw % lines.length;
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          s = lines.join('\n');
        }
        break;
      }
      case 5: // truncate
        s = s.slice(0, at);
        break;
      default: {
        // flip one character's code point a little (bit-level noise, may make lone surrogates)
        if (s.length > 0) {
          const i = at % s.length;
          s = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << lenRaw % 16)) + s.slice(i + 1);
        }
      }
    }
  }
  return s;
}

/** Mutation lists drawing tokens from a format's syntax. */
export function mutations(tokens: readonly string[]): fc.Arbitrary<Mutation[]> {
  const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
  return fc.array(fc.tuple(fc.nat(6), fc.nat(), fc.nat(), token), { minLength: 1, maxLength: 6 });
}

/** A seed (fixture or generated document) with mutations applied. */
export function mutated(seeds: readonly string[], generated: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  const seed = fc.oneof(fc.constantFrom(...seeds), generated);
  return fc.tuple(seed, mutations(tokens)).map(([s, ops]) => mutate(s, ops));
}

/** Token soup: a document assembled from a format's syntax pieces. */
export function soup(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) }), { maxLength: 60 }).map((a) => a.join(''));
}

export const JSON_TOKENS = ['{', '}', '[', ']', ',', ':', '"', '"a"', '"__proto__"', '"\\u005f_proto__"', '"constructor"', '"prototype"', '1', '-0', '1e400', '9007199254740993', '0.5', 'true', 'false', 'null', ' ', '\n', '\\', '\\u', '\\ud800', '"\\"', '//', '/*', '\u0000', '\ufeff', '[[[[[[[[', '{"a":{"a":'];

export const YAML_TOKENS = ['\n', '  ', '- ', ': ', '? ', '&a ', '*a', '&b ', '*b', '<<: ', '<<: *a', '!!js/function ', '!!js/regexp ', '!!binary ', '!secret ', '!!str ', '!!map ', '!!set ', '!!omap ', '!!int ', '!!float ', '!!timestamp ', '{', '}', '[', ']', ',', '#', "'", '"', '|', '>', '---\n', '...\n', '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '__proto__', 'constructor', 'prototype', 'a', 'b', '1', '.inf', '.nan', '~', 'null', 'yes', '0x1F', '9223372036854775807', '\t', '\ufeff', '@', '`'];

export const TOML_TOKENS = ['\n', '[', ']', '[[', ']]', '[a]', '[a.b]', '[[t]]', '=', ' = ', '.', 'a', 'b', '__proto__', 'constructor', 'prototype', '"', "'", '"""', "'''", '#', ',', '{', '}', '1', '-9223372036854775809', '18446744073709551616', '9223372036854775807', '0x7f', '0o7', '0b1', '1_000', 'inf', 'nan', '+inf', 'true', 'false', '1979-05-27T07:32:00Z', '07:32:00', '1979-05-27', '1e3', '\\u0000', '\\U0010FFFF', '\\', '\r\n', '\t'];

export const ENV_TOKENS = ['\n', 'A', 'B_C', 'X__Y', '=', 'export ', '"', "'", '`', '#', ' #', '${', '}', '${A}', '${B:-x}', '$${', '$', '\\n', '\\', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'sk-CANARY', ' ', '\r\n', '\t', ':', '-'];

/** Random trees serialised as each format (documents the parsers will mostly accept). */
export const jsonDoc = hostileTree.map((t) => JSON.stringify(t, null, 1) ?? '{}');
export const yamlDoc = hostileTree.map((t) => yaml.stringify(t));
export const tomlDoc = hostileTree.map((t) => {
  try {
    return tomlStringify(t);
  } catch {
    return ''; // TOML cannot hold null or top-level lists: the empty document stands in
  }
});
export const envDoc = fc
  .array(fc.tuple(fc.oneof(hostileKey, fc.constantFrom('A', 'B_C', 'X__Y')), fc.string({ maxLength: 12 }), fc.constantFrom('', '"', "'")), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v, q]) => `${k}=${q}${v}${q}`).join('\n'));

/** YAML documents built around anchors, aliases and merge keys (the expansion machinery). */
export const yamlAliasDoc = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), hostileKey, fc.boolean())
  .map(([levels, fan, key, merge]) => {
    const lines = [`l0: &l0 {${JSON.stringify(key)}: 1}`];
    for (let i = 1; i <= levels; i++) {
      const refs = Array.from({ length: fan }, () => `*l${i - 1}`).join(', ');
      lines.push(merge ? `l${i}: &l${i} {<<: *l${i - 1}, k${i}: [${refs}]}` : `l${i}: &l${i} [${refs}]`);
    }
    return lines.join('\n');
  });

/** Deep nesting in each syntax. */
export const deepDoc = fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.constantFrom('json', 'yaml-flow', 'yaml-block', 'toml-array', 'toml-inline', 'toml-table')).map(([n, kind]) => {
  switch (kind) {
    case 'json':
      return { kind, text: '['.repeat(n) + ']'.repeat(n) };
    case 'yaml-flow':
      return { kind, text: `a: ${'['.repeat(n)}${']'.repeat(n)}` };
    case 'yaml-block':
      return { kind, text: Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1' };
    case 'toml-array':
      return { kind, text: `a = ${'['.repeat(n)}${']'.repeat(n)}` };
    case 'toml-inline':
      return { kind, text: `a = ${'{b = '.repeat(n)}1${'}'.repeat(n)}` };
    default:
      return { kind, text: `[${Array.from({ length: n }, () => 'a').join('.')}]\nx = 1` };
  }
});
