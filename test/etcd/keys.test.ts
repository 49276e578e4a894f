import { describe, expect, it } from 'vitest';
import { invalidUtf8Offset } from '../../src/formats/decode.js';
import { ConfigError } from '../../src/foundation/errors.js';
import {
  buildKeysTree,
  decodeText,
  formatForKey,
  normalisePrefix,
  parseValue,
  prefixRangeEnd,
  scanJson,
  type RawEntry,
} from '../../src/remote/etcd/keys.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/tree/limits.js';

const ctx = { provider: 'etcd:/app', limits: DEFAULT_LIMITS };
const entry = (key: string, value: string | Uint8Array, rev = '7'): RawEntry => ({
  key: Buffer.from(key),
  value: typeof value === 'string' ? Buffer.from(value) : value,
  modRevision: rev,
});

function catchError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('normalisePrefix', () => {
  it.each([
    ['/app', '/app/'],
    ['/app/', '/app/'],
    ['/app//', '/app/'],
    ['app', 'app/'],
  ])('%s -> %s', (input, expected) => {
    expect(normalisePrefix(input)).toBe(expected);
  });
});

describe('prefixRangeEnd', () => {
  it.each([
    ['/app/', '/app0'],
    ['a', 'b'],
  ])('%s ends before %s', (prefix, end) => {
    expect(Buffer.from(prefixRangeEnd(Buffer.from(prefix))).toString()).toBe(end);
  });

  it('carries over 0xff bytes', () => {
    expect([...prefixRangeEnd(Uint8Array.of(0x61, 0xff))]).toEqual([0x62]);
    expect([...prefixRangeEnd(Uint8Array.of(0xff))]).toEqual([0]);
  });
});

// etcd keys and values are checked with the formats' strict scan: the cases an etcd key can hold.
describe('invalidUtf8Offset (formats/decode, used for etcd keys and values)', () => {
  it.each([
    { name: 'ascii', bytes: Buffer.from('hello'), offset: -1 },
    { name: 'multi-byte', bytes: Buffer.from('héllo €𝄞'), offset: -1 },
    { name: 'lone continuation byte', bytes: Uint8Array.of(0x61, 0x80), offset: 1 },
    { name: 'latin-1 é', bytes: Uint8Array.of(0x61, 0x62, 0xe9, 0x63), offset: 2 },
    { name: 'truncated sequence', bytes: Uint8Array.of(0x61, 0xe2, 0x82), offset: 1 },
    { name: 'overlong encoding', bytes: Uint8Array.of(0xc0, 0xaf), offset: 0 },
    { name: 'UTF-16 surrogate', bytes: Uint8Array.of(0xed, 0xa0, 0x80), offset: 0 },
    { name: 'beyond U+10FFFF', bytes: Uint8Array.of(0xf4, 0x90, 0x80, 0x80), offset: 0 },
  ])('$name', ({ bytes, offset }) => {
    expect(invalidUtf8Offset(bytes)).toBe(offset);
  });
});

describe('parseValue', () => {
  const parse = (text: string): unknown => parseValue(text, '/app/x', '3', ['x'], ctx, { nodes: 1000 });
  it.each([
    { text: '8080', expected: 8080 },
    { text: ' 42 ', expected: 42 },
    { text: '-1.5', expected: -1.5 },
    { text: 'true', expected: true },
    { text: 'false', expected: false },
    { text: 'null', expected: null },
    { text: '"quoted"', expected: 'quoted' },
    { text: 'hello world', expected: 'hello world' },
    { text: '', expected: '' },
    { text: '08080', expected: '08080' },
    { text: 'truey', expected: 'truey' },
    { text: '{not json', expected: '{not json' },
    { text: '[1, 2', expected: '[1, 2' },
    { text: '9007199254740993', expected: '9007199254740993' },
    { text: '${HOME}/x', expected: '${HOME}/x' },
    { text: '[1,"a",{"b":null}]', expected: [1, 'a', { b: null }] },
    { text: '{"a":{"b":[true]}}', expected: { a: { b: [true] } } },
  ])('$text', ({ text, expected }) => {
    expect(parse(text)).toEqual(expected);
  });

  it('returns objects with a null prototype', () => {
    const v = parse('{"a":{"b":1}}') as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.a)).toBeNull();
  });

  it.each([
    { name: '__proto__ inside a JSON value', text: '{"__proto__":{"polluted":1}}', code: 'forbidden_key', key: 'x.__proto__' },
    { name: 'constructor.prototype inside a JSON value', text: '{"a":{"constructor":{"prototype":{}}}}', code: 'forbidden_key', key: 'x.a.constructor' },
    { name: 'duplicate key inside a JSON value', text: '{"a":1,"a":2}', code: 'duplicate_key', key: 'x.a' },
    { name: 'unsafe integer inside a JSON value', text: '{"id":9007199254740993}', code: 'parse_failed', key: 'x' },
    { name: 'deep nesting', text: '['.repeat(5000) + ']'.repeat(5000), code: 'limit_exceeded', key: 'x' },
  ])('$name -> $code', ({ text, code, key }) => {
    const err = catchError(() => parse(text));
    expect(err.code).toBe(code);
    expect(err.location).toEqual({ source: 'etcd /app/x@3', key });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts nodes against maxNodes', () => {
    const err = catchError(() => parseValue(JSON.stringify(Array(50).fill(1)), '/app/x', '3', ['x'], ctx, { nodes: 10 }));
    expect(err.code).toBe('limit_exceeded');
  });
});

describe('scanJson', () => {
  it('stops at the depth limit', () => {
    expect(scanJson('[[[[1]]]]', 2).depth).toBe(3);
  });
  it('does not count brackets inside strings', () => {
    expect(scanJson('["[[[[", {"k": "{{{"}]', 10)).toEqual({ depth: 2 });
  });
  it('sees duplicate keys with escapes', () => {
    expect(scanJson('{"a\\u0062":1,"ab":2}', 10).duplicate).toBe('ab');
  });
  it('does not confuse keys in sibling objects', () => {
    expect(scanJson('[{"a":1},{"a":2}]', 10).duplicate).toBeUndefined();
  });
});

describe('decodeText', () => {
  it('rejects a value over the limit before decoding, naming the key', () => {
    const err = catchError(() => decodeText(Buffer.alloc(11, 0x61), 10, 'maxScalarBytes', '/app/big', '9', ctx));
    expect(err.code).toBe('limit_exceeded');
    expect(err.location).toEqual({ source: 'etcd /app/big@9' });
    expect(err.context).toMatchObject({ limit: 'maxScalarBytes', max: 10 });
  });

  it('rejects invalid UTF-8 with the byte offset, naming the key', () => {
    const err = catchError(() => decodeText(Uint8Array.of(0x6f, 0x6b, 0xff), 10, 'maxScalarBytes', '/app/bin', '4', ctx));
    expect(err.code).toBe('parse_failed');
    expect(err.location).toEqual({ source: 'etcd /app/bin@4' });
    expect(err.context).toMatchObject({ encoding: 'utf-8', byteOffset: 2 });
  });
});

describe('buildKeysTree', () => {
  it('maps keys to paths with per-key origins', () => {
    const tree = buildKeysTree(
      [entry('/app/server/port', '8080', '5'), entry('/app/server/host', 'localhost', '6'), entry('/app/tags', '["a","b"]', '7')],
      '/app/',
      ctx,
    );
    expect(tree.values).toEqual({ server: { port: 8080, host: 'localhost' }, tags: ['a', 'b'] });
    expect(tree.origins['server.port']).toEqual({ provider: 'etcd:/app', type: 'etcd', location: '/app/server/port@5' });
    expect(tree.origins['server.host']?.location).toBe('/app/server/host@6');
    expect(tree.origins['tags.1']?.location).toBe('/app/tags@7');
  });

  it('makes objects, not lists, from numeric segments', () => {
    const tree = buildKeysTree([entry('/app/list/0', 'a'), entry('/app/list/1', 'b')], '/app/', ctx);
    expect(tree.values).toEqual({ list: { 0: 'a', 1: 'b' } });
    expect(Array.isArray((tree.values as { list: unknown }).list)).toBe(false);
  });

  it('skips empty segments and keeps dotted segments as one key', () => {
    const tree = buildKeysTree([entry('/app//a//b', '1'), entry('/app/x.y/z', '2')], '/app/', ctx);
    expect(tree.values).toEqual({ a: { b: 1 }, 'x.y': { z: 2 } });
    expect(tree.origins['["x.y"].z']?.location).toBe('/app/x.y/z@7');
  });

  it('ignores keys outside the prefix', () => {
    const tree = buildKeysTree([entry('/application/x', '1'), entry('/app/y', '2')], '/app/', ctx);
    expect(tree.values).toEqual({ y: 2 });
  });

  it.each([
    { name: '__proto__ segment', key: '/app/__proto__/polluted', code: 'forbidden_key' },
    { name: 'constructor segment', key: '/app/a/constructor/prototype/x', code: 'forbidden_key' },
    { name: 'prototype segment', key: '/app/prototype', code: 'forbidden_key' },
  ])('$name -> $code naming the etcd key', ({ key, code }) => {
    const err = catchError(() => buildKeysTree([entry(key, '1', '12')], '/app/', ctx));
    expect(err.code).toBe(code);
    expect(err.location?.source).toBe(`etcd ${key}@12`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a value and a path below it as overlapping, naming both keys', () => {
    const err = catchError(() => buildKeysTree([entry('/app/a', '1', '2'), entry('/app/a/b', '2', '3')], '/app/', ctx));
    expect(err.code).toBe('invalid_config');
    expect(err.location?.source).toBe('etcd /app/a/b@3');
    expect(err.context).toEqual({ otherKey: '/app/a' });
  });

  it('rejects a key equal to the prefix', () => {
    expect(catchError(() => buildKeysTree([entry('/app/', 'x')], '/app/', ctx)).code).toBe('invalid_config');
  });

  it('rejects a non-UTF-8 key', () => {
    const err = catchError(() => buildKeysTree([{ key: Uint8Array.of(0x2f, 0x61, 0x70, 0x70, 0x2f, 0xff), value: Buffer.from('1'), modRevision: '3' }], '/app/', ctx));
    expect(err.code).toBe('parse_failed');
    expect(err.context).toMatchObject({ encoding: 'utf-8', part: 'key' });
  });

  it('rejects an oversized value naming the key', () => {
    const small = { provider: 'p', limits: resolveLimits({ maxScalarBytes: 4 }) };
    const err = catchError(() => buildKeysTree([entry('/app/ok', '1234'), entry('/app/big', '12345', '8')], '/app/', small));
    expect(err.code).toBe('limit_exceeded');
    expect(err.location?.source).toBe('etcd /app/big@8');
  });

  it('rejects more keys than maxNodes', () => {
    const small = { provider: 'p', limits: resolveLimits({ maxNodes: 5 }) };
    const entries = Array.from({ length: 10 }, (_, i) => entry(`/app/k${i}`, '1'));
    expect(catchError(() => buildKeysTree(entries, '/app/', small)).code).toBe('limit_exceeded');
  });

  it('rejects keys nested deeper than maxDepth', () => {
    const small = { provider: 'p', limits: resolveLimits({ maxDepth: 3 }) };
    expect(catchError(() => buildKeysTree([entry('/app/a/b/c/d', '1')], '/app/', small)).code).toBe('limit_exceeded');
  });
});

describe('formatForKey', () => {
  it.each([
    ['/app/config.yaml', 'yaml'],
    ['/app/config.YML', 'yaml'],
    ['/app/config.json', 'json'],
    ['/app/config.toml', 'toml'],
    ['/app/config', undefined],
    ['/app/config.txt', undefined],
  ])('%s -> %s', (key, expected) => {
    expect(formatForKey(key)).toBe(expected);
  });
});
