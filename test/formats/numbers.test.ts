/**
 * Floats beyond the range of a double (issue 14): `1e400` would load as Infinity and `1e-400` as
 * 0, values nobody wrote. They are refused like integers beyond ±2^53-1: a located ConfigError.
 */
import { describe, expect, it } from 'vitest';
import type { Format } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { ctxFor, parseError } from './parse-helpers.js';

// [format, document, line, column, overflow]
const REFUSED: [string, Format, string, number, number, boolean][] = [
  ['json', jsonFormat, '{"a": 1,\n "b": 1e400}', 2, 7, true],
  ['json', jsonFormat, '{"a": -1.5E+999}', 1, 7, true],
  ['json', jsonFormat, '{"a": 0, "b": 1e-400}', 1, 15, false],
  ['json', jsonFormat, `{"a": ${'9'.repeat(400)}.0}`, 1, 7, true],
  ['yaml', yamlFormat, 'a: 1\nb: 1e400\n', 2, 1, true],
  ['yaml', yamlFormat, 'a: [0, -2.5e-999]\n', 1, 8, false],
  ['yaml', yamlFormat, 'a:\n  b: 1.0E+400\n', 2, 3, true],
  ['toml', tomlFormat, 'a = 1\nb = 1e400\n', 2, 1, true],
  ['toml', tomlFormat, 'x = 0\n[t]\nb = -1e-400\n', 3, 1, false],
  ['toml', tomlFormat, 'a = [0, 1e-400]\n', 1, 1, false],
];

describe('out-of-range floats', () => {
  it.each(REFUSED)('%s: %j is refused at its line:col', (_name, format, text, line, column, overflow) => {
    const err = parseError(format, text, undefined, 'c.cfg');
    expect(err.code).toBe('parse_failed');
    expect(err.context).toMatchObject({ reason: 'float range' });
    expect(err.message).toContain(overflow ? 'beyond the range of a double' : 'too small for a double');
    expect(err.location).toMatchObject({ file: 'c.cfg', line, column });
  });

  it('explicit infinities, NaN, zeros and tiny but representable floats are kept', () => {
    expect(yamlFormat.parse('a: .inf\nb: -.Inf\nc: 0.0\nd: 0e-999\ne: 1.5e-300\nf: .nan\n', ctxFor()).values).toEqual({
      a: Infinity,
      b: -Infinity,
      c: 0,
      d: 0,
      e: 1.5e-300,
      f: NaN,
    });
    expect(tomlFormat.parse('a = inf\nb = -inf\nc = 0.0\nd = 0e-999\ne = 1.5e-300\nf = nan\n', ctxFor()).values).toEqual({
      a: Infinity,
      b: -Infinity,
      c: 0,
      d: 0,
      e: 1.5e-300,
      f: NaN,
    });
    expect(jsonFormat.parse('{"c": 0, "d": 0e-999, "e": 1.5e-300, "f": -0.0}', ctxFor()).values).toEqual({ c: 0, d: 0, e: 1.5e-300, f: -0 });
  });

  it('a string that looks like an overflowing number stays a string', () => {
    expect(yamlFormat.parse('a: "1e400"\nb: 0\n', ctxFor()).values).toEqual({ a: '1e400', b: 0 });
    expect(tomlFormat.parse('a = "1e400"\nb = 0\n', ctxFor()).values).toEqual({ a: '1e400', b: 0 });
    expect(jsonFormat.parse('{"a": "1e-400", "b": 0}', ctxFor()).values).toEqual({ a: '1e-400', b: 0 });
  });
});
