import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFromSources } from '../../src/core/load.js';
import { fileProvider } from '../../src/providers/file.js';
import { tempDir } from '../support/temp.js';
import { dotenvFormat } from '../../src/formats/dotenv.js';
import { ctxFor, fixture, parseError } from './parse-helpers.js';

describe('dotenvFormat', () => {
  it.each([
    ['unquoted value keeps a # not preceded by space', 'API_KEY=abc#def', 'abc#def'],
    ['whitespace-preceded # starts a comment', 'A=abc #comment', 'abc'],
    ['double quotes with escapes', 'A="a\\nb\\t\\"c\\""', 'a\nb\t"c"'],
    ['double quotes keep #', 'A="x # y"', 'x # y'],
    ['single quotes are literal', "A='a\\nb ${X}'", 'a\\nb ${X}'],
    ['backticks are literal', 'A=`it\'s "q"`', 'it\'s "q"'],
    ['export prefix', 'export A=1', '1'],
    ['spaces around =', 'A  =  v  ', 'v'],
    ['empty value', 'A=', ''],
    ['interpolation left for later', 'A=${B:-x}', '${B:-x}'],
    ['CRLF line endings', 'A=v\r\n', 'v'],
    ['multi-line double-quoted value', 'A="line1\nline2"', 'line1\nline2'],
  ])('%s', (_name, text, expected) => {
    const key = text.startsWith('API_KEY') ? 'API_KEY' : 'A';
    expect(dotenvFormat.parse(text, ctxFor('.env')).values).toEqual({ [key]: expected });
  });

  it('parses the canonical .env into one flat key each, with key positions', () => {
    const { values, positions } = dotenvFormat.parse(fixture('canonical/config.env'), ctxFor('config.env'));
    expect(values).toEqual({
      APP_NAME: 'support-assistant',
      SERVER__PORT: '8080',
      SERVER__HOST: '0.0.0.0',
      LLM_PROVIDERS__0__API_KEY: 'sk-test-not-a-secret',
      SYSTEM_PROMPT: 'You route tickets:\nbilling, bugs, other.',
      API_KEY: 'abc#def',
      DEBUG: 'false',
      EMPTY: '',
    });
    expect(positions.get('APP_NAME')).toEqual({ line: 2, column: 1 });
    expect(positions.get('SERVER__PORT')).toEqual({ line: 3, column: 8 });
    expect(positions.get('server.port')).toBeUndefined();
  });

  it('stores toString and hasOwnProperty as own keys; String(config) of the loaded .env still works (E5)', async () => {
    const { values } = dotenvFormat.parse('toString=x\nhasOwnProperty=y', ctxFor());
    expect(Object.keys(values)).toEqual(['toString', 'hasOwnProperty']);
    expect(Object.getOwnPropertyDescriptor(values, 'toString')?.value).toBe('x');
    // What an application stringifies is the loaded snapshot: shadowing keys must not break it.
    const path = join(tempDir({ 'app.env': 'toString=x\nhasOwnProperty=y\n' }), 'app.env');
    const config = await loadFromSources([fileProvider({ path })], { schema: false });
    expect(String(config)).toBe('Config {"toString":"x","hasOwnProperty":"y"}');
    expect(`${config}`).toBe(String(config));
    expect(config.get('toString')).toBe('x');
    expect(config.get('hasOwnProperty')).toBe('y');
    expect(({} as { toString: unknown }).toString).toBe(Object.prototype.toString);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'x')).toBe(false);
  });

  it.each([
    ['__proto__', '__proto__=x', 'forbidden_key', 1, 1],
    ['constructor', 'A=1\nconstructor=x', 'forbidden_key', 2, 1],
    ['duplicate key', 'A=1\n\nexport A=2', 'duplicate_key', 3, 8],
    ['line without =', 'A=1\nJUSTAWORD', 'parse_failed', 2, 1],
    ['invalid key', '1ABC=x', 'parse_failed', 1, 1],
    ['unterminated quote', 'A="abc\nB=1', 'parse_failed', 1, 3],
    ['text after closing quote', 'A="abc" def', 'parse_failed', 1, 8],
  ])('%s → %s at line:col', (_name, text, code, line, column) => {
    const err = parseError(dotenvFormat, text, undefined, 'app/.env');
    expect(err.code).toBe(code);
    expect(err.format).toBe('env');
    expect(err.location).toMatchObject({ file: 'app/.env', line, column });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['maxDocumentBytes', 'A=abcdefghij', { maxDocumentBytes: 8 }],
    ['maxScalarBytes', 'A=abcdefghij', { maxScalarBytes: 8 }],
    ['maxNodes', 'A=1\nB=2\nC=3', { maxNodes: 2 }],
  ])('%s → limit_exceeded', (limit, text, limits) => {
    const err = parseError(dotenvFormat, text, limits);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit });
  });
});
