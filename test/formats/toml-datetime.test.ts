/**
 * TOML 1.0 strictness and datetimes (issue 14): dates keep their full value as TomlDateTime,
 * impossible dates are refused (not moved to March), TOML 1.1 additions and a second BOM are
 * refused, and a TomlDateTime survives the load pipeline as a leaf.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { decodeText } from '../../src/formats/decode.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { loadConfig } from '../../src/core/load.js';
import { TomlDateTime } from '../../src/tree/datetime.js';
import { tempDir } from '../support/temp.js';
import { ctxFor, errorOf, parseError } from './parse-helpers.js';

describe('TomlDateTime', () => {
  it('keeps every fraction digit and tells the four kinds apart', () => {
    const { values } = tomlFormat.parse(
      ['a = 1979-05-27T00:32:00.999999-07:00', 'b = 1979-05-27 07:32:00.5z', 'c = 1979-05-27T07:32:00.123456789', 'd = 2000-02-29', 'e = 00:32:00.000001'].join('\n'),
      ctxFor(),
    );
    expect(values).toEqual({
      a: new TomlDateTime('1979-05-27T00:32:00.999999-07:00'),
      b: new TomlDateTime('1979-05-27T07:32:00.5Z'),
      c: new TomlDateTime('1979-05-27T07:32:00.123456789'),
      d: new TomlDateTime('2000-02-29'),
      e: new TomlDateTime('00:32:00.000001'),
    });
    const v = values as Record<string, TomlDateTime>;
    expect([v.a!.kind, v.b!.kind, v.c!.kind, v.d!.kind, v.e!.kind]).toEqual(['offset-datetime', 'offset-datetime', 'local-datetime', 'local-date', 'local-time']);
    // The space separator and a lower-case z are spelling only.
    expect(String(v.b)).toBe('1979-05-27T07:32:00.5Z');
    expect(JSON.stringify(v)).toBe(
      '{"a":"1979-05-27T00:32:00.999999-07:00","b":"1979-05-27T07:32:00.5Z","c":"1979-05-27T07:32:00.123456789","d":"2000-02-29","e":"00:32:00.000001"}',
    );
    expect(v.a!.toDate()!.toISOString()).toBe('1979-05-27T07:32:00.999Z');
    expect(v.d!.toDate()).toBeUndefined();
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(() => {
      (v.a as unknown as { text: string }).text = 'x';
    }).toThrow(TypeError);
  });

  it('a leap second and years before 100 give the right instant', () => {
    expect(new TomlDateTime('1990-12-31T23:59:60Z').toDate()!.toISOString()).toBe('1991-01-01T00:00:00.000Z');
    expect(new TomlDateTime('0099-01-01T00:00:00+01:00').toDate()!.toISOString()).toBe('0098-12-31T23:00:00.000Z');
  });

  // [literal, line, column]
  const IMPOSSIBLE: [string, number, number][] = [
    ['2100-02-29', 2, 5],
    ['1988-02-30', 2, 5],
    ['2021-04-31T00:00:00Z', 2, 5],
    ['2021-01-01T24:00:00', 2, 5],
    ['2021-01-01T23:60:00Z', 2, 5],
    ['2021-01-01T00:00:00+24:00', 2, 5],
  ];
  it.each(IMPOSSIBLE)('refuses the impossible %s at its line:col (it is not moved)', (literal, line, column) => {
    const err = parseError(tomlFormat, `ok = 1\nx = ${literal}\n`, undefined, 'c.toml');
    expect(err.code).toBe('parse_failed');
    expect(err.message).toMatch(/invalid TOML: impossible (date|time|offset)/);
    expect(err.location).toMatchObject({ file: 'c.toml', line, column });
  });
});

describe('TOML 1.0 only', () => {
  // [what, text, line, column]
  const V11: [string, string, number, number][] = [
    ['a newline in an inline table', 't = {a = 1,\n b = 2}\n', 1, 12],
    ['a trailing comma in an inline table', 't = { a = 1, }\n', 1, 14],
    ['a \\x escape', 'ok = "\\\\x41"\ns = "\\x41"\n', 2, 6],
    ['an \\e escape', 's = """a\\e"""\n', 1, 9],
    ['a time without seconds', 't = 07:32\n', 1, 5],
  ];
  it.each(V11)('refuses %s (TOML 1.1), located', (_what, text, line, column) => {
    const err = parseError(tomlFormat, text, undefined, 'c.toml');
    expect(err.code).toBe('parse_failed');
    expect(err.location).toMatchObject({ file: 'c.toml', line, column });
  });

  it('keeps what TOML 1.0 allows around those: multi-line arrays and strings inside inline tables, literal backslashes', () => {
    expect(tomlFormat.parse('t = { a = [1,\n 2], s = """x\ny""" }\nl = \'\\x41\'\n', ctxFor()).values).toEqual({ t: { a: [1, 2], s: 'x\ny' }, l: '\\x41' });
  });

  it('refuses a file that starts with two byte order marks', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a = 1\n')]);
    const err = errorOf(() => tomlFormat.parse(decodeText(bytes, 'c.toml'), ctxFor('c.toml')));
    expect(err.context).toMatchObject({ reason: 'encoding' });
    expect(err.location).toMatchObject({ file: 'c.toml', line: 1, column: 1 });
    expect(tomlFormat.parse(decodeText(bytes.subarray(3), 'c.toml'), ctxFor('c.toml')).values).toEqual({ a: 1 });
  });
});

describe('a TomlDateTime through loadConfig', () => {
  it('survives merge, freeze, redaction, JSON output, get and env overrides', async () => {
    const dir = tempDir({
      'config.toml': ['released = 2024-05-01', 'at = 1979-05-27T00:32:00.999999-07:00', '[db]', 'password = 1979-05-27', '[t]', 'clock = 07:32:00.123456'].join('\n'),
    });
    const config = await loadConfig({
      sources: [envProvider({ env: { CONFSTACK_T__CLOCK: '08:00:00' } }), fileProvider({ path: join(dir, 'config.toml') })],
      schema: false,
    });
    const at = config.get('at');
    expect(at).toBeInstanceOf(TomlDateTime);
    expect(at).toEqual(new TomlDateTime('1979-05-27T00:32:00.999999-07:00'));
    expect(Object.isFrozen(config.value)).toBe(true);
    expect(config.getString('released')).toBe('2024-05-01');
    // An env variable replaces it with its text.
    expect(config.get('t.clock')).toBe('08:00:00');
    // Redaction replaces it whole; JSON output writes its text.
    const json = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    expect(json).toMatchObject({ released: '2024-05-01', at: '1979-05-27T00:32:00.999999-07:00', db: { password: '[REDACTED]' } });
    expect(String(config)).not.toContain('1979-05-27"');
    expect(config.toObject()).toMatchObject({ released: new TomlDateTime('2024-05-01') });
    expect(config.getStringMap('')).toMatchObject({ released: '2024-05-01' });
  });

  it('an impossible date in a file is a located ConfigError of the load', async () => {
    const dir = tempDir({ 'config.toml': 'a = 1\nday = 2100-02-29\n' });
    const err = await loadConfig({ sources: [fileProvider({ path: join(dir, 'config.toml') })], schema: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).location).toMatchObject({ line: 2, column: 7 });
  });
});
