import { describe, expect, it } from 'vitest';
import { yamlFormat } from '../../src/formats/yaml.js';
import { ctxFor, fixture, parseError } from './parse-helpers.js';

describe('yamlFormat', () => {
  it('parses YAML 1.2 core types and resolves positions lazily', () => {
    const text = 'a:\n  b:\n    - 1\n    - c: x\nflag: yes\non: true\nwhen: 2001-12-14\nn: ~\nhex: 0x1F\nf: 1.5\n';
    const { values, positions } = yamlFormat.parse(text, ctxFor());
    // Core schema: `yes`/`on` stay strings, no timestamps.
    expect(values).toEqual({ a: { b: [1, { c: 'x' }] }, flag: 'yes', on: true, when: '2001-12-14', n: null, hex: 31, f: 1.5 });
    expect(positions.get('a')).toEqual({ line: 1, column: 1 });
    expect(positions.get('a.b')).toEqual({ line: 2, column: 3 });
    expect(positions.get('a.b.0')).toEqual({ line: 3, column: 7 });
    expect(positions.get('a.b.1.c')).toEqual({ line: 4, column: 7 });
    expect(positions.get('when')).toEqual({ line: 7, column: 1 });
  });

  it.each([
    ['empty', ''],
    ['comments only', '# nothing\n'],
    ['explicit empty document', '---\n'],
  ])('an empty document (%s) gives {}', (_name, text) => {
    expect(yamlFormat.parse(text, ctxFor()).values).toEqual({});
  });

  it('stores toString and hasOwnProperty as own keys; << stays a literal key', () => {
    const { values } = yamlFormat.parse('toString: a\nhasOwnProperty: b\nm:\n  <<: {x: 1}\n', ctxFor());
    expect(Object.keys(values)).toEqual(['toString', 'hasOwnProperty', 'm']);
    expect(values.m).toEqual({ '<<': { x: 1 } });
  });

  it('expands aliases into an unshared plain tree', () => {
    const { values } = yamlFormat.parse('base: &b {x: 1}\na: *b\nb: *b\n', ctxFor());
    expect(values).toEqual({ base: { x: 1 }, a: { x: 1 }, b: { x: 1 } });
    expect(values.a).not.toBe(values.b);
  });

  it.each([
    ['duplicate key', 'invalid/duplicate-key.yaml', 'duplicate_key', 3, 3],
    ['!!js/function', 'invalid/unsupported-tag.yaml', 'parse_failed', 2, 12],
    ['custom !secret tag', 'invalid/custom-tag.yaml', 'parse_failed', 2, 13],
    ['multiple documents', 'invalid/multi-document.yaml', 'parse_failed', 2, 1],
    ['__proto__ via merge-key fixture', 'invalid/proto-merge.yaml', 'forbidden_key', 1, 8],
    ['int beyond 2^53', 'invalid/int-precision.yaml', 'parse_failed', 1, 1],
    ['truncated flow sequence', 'invalid/truncated.yaml', 'parse_failed', 3, 3],
  ])('%s → %s with line:col', (_name, file, code, line, column) => {
    const err = parseError(yamlFormat, fixture(file), undefined, file);
    expect(err.code).toBe(code);
    expect(err.format).toBe('yaml');
    expect(err.location).toMatchObject({ file, line, column });
  });

  it.each([
    ['!!binary', 'a: !!binary aGVsbG8='],
    ['!!js/regexp', 'a: !!js/regexp /x/'],
    ['!!js/undefined', 'a: !!js/undefined ""'],
    ['!!timestamp', 'a: !!timestamp 2001-12-14'],
  ])('tag %s → parse_failed (unsupported tag)', (_name, text) => {
    const err = parseError(yamlFormat, text);
    expect(err.code).toBe('parse_failed');
    expect(err.context).toMatchObject({ reason: 'unsupported tag' });
    expect(err.location).toMatchObject({ line: 1, column: 4 });
  });

  it.each([
    ['root sequence', '- a\n- b\n'],
    ['root scalar', 'hello\n'],
  ])('%s → parse_failed (root must be a mapping)', (_name, text) => {
    expect(parseError(yamlFormat, text).code).toBe('parse_failed');
  });

  it('integers: precision vs 64-bit range are told apart', () => {
    expect(parseError(yamlFormat, 'n: 9223372036854775807').context).toMatchObject({ reason: 'precision' });
    expect(parseError(yamlFormat, 'n: 18446744073709551616').context).toMatchObject({ reason: 'range' });
    expect(yamlFormat.parse('n: 9007199254740991', ctxFor()).values).toEqual({ n: 9007199254740991 });
  });

  it('rejects the 9×9 alias bomb with limit_exceeded without expanding it', () => {
    const text = fixture('invalid/alias-bomb.yaml');
    expect(text.length).toBeLessThan(400);
    const err = parseError(yamlFormat, text);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit: 'maxNodes' });
    expect(err.location?.line).toBeGreaterThan(0);
  });

  it('rejects more alias uses than maxAliases', () => {
    const text = `a: &a 1\nlist: [${Array.from({ length: 20 }, () => '*a').join(', ')}]\n`;
    const err = parseError(yamlFormat, text, { maxAliases: 10 });
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit: 'maxAliases' });
    expect(err.location?.line).toBe(2);
    // `*` inside quotes and comments is not an alias: the exact count keeps this document.
    const quoted = `a: 1\n${Array.from({ length: 20 }, (_, i) => `k${i}: " *x"  # *y`).join('\n')}\n`;
    expect(Object.keys(yamlFormat.parse(quoted, ctxFor('x', { maxAliases: 10 })).values)).toHaveLength(21);
  });

  it('a recursive alias is parse_failed, not a hang', () => {
    expect(parseError(yamlFormat, 'a: &a [1, *a]\n').code).toBe('parse_failed');
  });

  it.each([
    ['20,000 × [ in flow', `a: ${'['.repeat(20_000)}`],
    ['20,000 × { in flow', `a: ${'{b: '.repeat(20_000)}`],
    ['300 nested block maps', Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
  ])('%s → limit_exceeded, never "call stack"', (_name, text) => {
    const err = parseError(yamlFormat, text);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit: 'maxDepth' });
    expect(err.message).not.toMatch(/call stack/i);
  });

  it('alias expansion deeper than maxDepth is limit_exceeded', () => {
    const err = parseError(yamlFormat, 'a: &a {x: {y: 1}}\nb: {c: *a}\n', { maxDepth: 3 });
    expect(err.code).toBe('limit_exceeded');
    expect(err.location).toMatchObject({ key: 'b.c', line: 2, column: 5 });
  });

  it.each([
    ['maxDocumentBytes', 'a: abcdefghij', { maxDocumentBytes: 8 }],
    ['maxScalarBytes', 'a: abcdefghij', { maxScalarBytes: 8 }],
    ['maxNodes', 'a: [1, 2, 3, 4]', { maxNodes: 4 }],
  ])('%s → limit_exceeded', (limit, text, limits) => {
    const err = parseError(yamlFormat, text, limits);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit });
  });

  it('P19: __proto__ under an anchor and a << merge leaves Object.prototype untouched', () => {
    expect(parseError(yamlFormat, fixture('invalid/proto-merge.yaml')).code).toBe('forbidden_key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const key of ['constructor', 'prototype']) {
      const err = parseError(yamlFormat, `ok: 1\nnested:\n  ${key}: {polluted: 1}\n`);
      expect(err.code).toBe('forbidden_key');
      expect(err.location).toMatchObject({ line: 3, column: 3, key: `nested.${key}` });
    }
  });
});
