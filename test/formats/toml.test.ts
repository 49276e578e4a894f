import { describe, expect, it } from 'vitest';
import { tomlFormat } from '../../src/formats/toml.js';
import { TomlDateTime } from '../../src/tree/datetime.js';
import { ctxFor, fixture, parseError } from './parse-helpers.js';

describe('tomlFormat', () => {
  it('parses tables, arrays of tables and dates (as TomlDateTime values) into plain objects', () => {
    const text = [
      'title = "x"',
      'day = 1979-05-27',
      'at = 1979-05-27T07:32:00Z',
      'local = 1979-05-27T07:32:00',
      'clock = 07:32:00',
      '[server]',
      'port = 8080',
      'limits = { rps = 10 }',
      '[[p]]',
      'name = "a"',
      '[[p]]',
      'name = "b"',
      '[p.sub]',
      'q = 1',
      '"quoted.key" = 2',
      'a.b.c = 3',
    ].join('\n');
    const { values, positions } = tomlFormat.parse(text, ctxFor());
    expect(values).toEqual({
      title: 'x',
      day: new TomlDateTime('1979-05-27'),
      at: new TomlDateTime('1979-05-27T07:32:00Z'),
      local: new TomlDateTime('1979-05-27T07:32:00'),
      clock: new TomlDateTime('07:32:00'),
      server: { port: 8080, limits: { rps: 10 } },
      p: [{ name: 'a' }, { name: 'b', sub: { q: 1, 'quoted.key': 2, a: { b: { c: 3 } } } }],
    });
    expect(Object.getPrototypeOf(values.server)).toBe(Object.prototype);
    const cases: [string, number][] = [
      ['title', 1],
      ['server', 6],
      ['server.port', 7],
      ['server.limits.rps', 8], // inside an inline table: the nearest recorded key
      ['p', 9],
      ['p.0.name', 10],
      ['p.1', 11],
      ['p.1.name', 12],
      ['p.1.sub.q', 14],
      ['p.1.sub["quoted.key"]', 15],
      ['p.1.sub.a.b.c', 16],
    ];
    for (const [path, line] of cases) expect(positions.get(path), path).toEqual({ line, column: 1 });
  });

  it('skips multi-line strings and arrays when indexing positions', () => {
    const text = 'a = """\nb = 1\n"""\nlist = [\n  "c = 2",\n]\nd = 3\n';
    const { values, positions } = tomlFormat.parse(text, ctxFor());
    expect(values).toEqual({ a: 'b = 1\n', list: ['c = 2'], d: 3 });
    expect(positions.get('b')).toBeUndefined();
    expect(positions.get('d')).toEqual({ line: 7, column: 1 });
  });

  it.each([
    ['duplicate key', 'invalid/duplicate-key.toml', 'duplicate_key', 3, 1, undefined],
    ['table redefined', 'invalid/table-redefined.toml', 'duplicate_key', 4, 2, undefined],
    ['int beyond 2^53', 'invalid/int-precision.toml', 'parse_failed', 1, 6, 'precision'],
    ['int beyond int64', 'invalid/int-range.toml', 'parse_failed', 1, 7, 'range'],
  ])('%s → %s at line:col', (_name, file, code, line, column, reason) => {
    const err = parseError(tomlFormat, fixture(file), undefined, file);
    expect(err.code).toBe(code);
    expect(err.format).toBe('toml');
    expect(err.location).toMatchObject({ file, line, column });
    if (reason !== undefined) expect(err.context).toMatchObject({ reason });
  });

  it('rejects -9223372036854775809 as out of range', () => {
    expect(parseError(tomlFormat, 'n = -9223372036854775809').context).toMatchObject({ reason: 'range' });
  });

  it.each([
    ['__proto__', '[a]\n__proto__ = 1', 2, 1],
    ['constructor', 'constructor = 1', 1, 1],
    ['prototype', 'x = 1\n[a]\nprototype = { y = 1 }', 3, 1],
    ['__proto__ table', '[__proto__]\ny = 1', 1, 2],
  ])('forbidden key %s → forbidden_key at line:col', (_name, text, line, column) => {
    const err = parseError(tomlFormat, text);
    expect(err.code).toBe('forbidden_key');
    expect(err.location).toMatchObject({ line, column });
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });

  it('stores toString and hasOwnProperty as own keys', () => {
    const { values } = tomlFormat.parse('toString = "a"\nhasOwnProperty = "b"', ctxFor());
    expect(Object.keys(values)).toEqual(['toString', 'hasOwnProperty']);
  });

  it.each([
    ['20,000 × [ in an array', `a = ${'['.repeat(20_000)}`],
    ['20,000 × { in inline tables', `a = ${'{ b = '.repeat(20_000)}`],
  ])('%s → limit_exceeded, never "call stack"', (_name, text) => {
    const err = parseError(tomlFormat, text);
    expect(err.code).toBe('limit_exceeded');
    expect(err.message).not.toMatch(/call stack/i);
    expect(err.location?.line).toBe(1);
  });

  it('deep dotted table headers are limited by maxDepth too', () => {
    const err = parseError(tomlFormat, `[${Array.from({ length: 10 }, (_, i) => `k${i}`).join('.')}]\nx = 1`, { maxDepth: 5 });
    expect(err.code).toBe('limit_exceeded');
    expect(err.location?.line).toBe(1);
  });

  it.each([
    ['maxDocumentBytes', 'a = "abcdefghij"', { maxDocumentBytes: 8 }],
    ['maxScalarBytes', 'a = "abcdefghij"', { maxScalarBytes: 8 }],
    ['maxNodes', 'a = [1, 2, 3, 4]', { maxNodes: 4 }],
  ])('%s → limit_exceeded', (limit, text, limits) => {
    const err = parseError(tomlFormat, text, limits);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit });
  });

  it.each([
    ['unterminated string', 'a = "abc', 1],
    ['missing value', 'a =\nb = 1', 1],
    ['bad table header', '[a\nb = 1', 1],
  ])('syntax error (%s) → parse_failed with a line', (_name, text, line) => {
    const err = parseError(tomlFormat, text);
    expect(err.code).toBe('parse_failed');
    expect(err.location?.line).toBe(line);
    expect(err.location?.column).toBeGreaterThan(0);
  });
});
