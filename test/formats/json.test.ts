import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/formats/json.js';
import { ctxFor, fixture, parseError } from './parse-helpers.js';

describe('jsonFormat', () => {
  it('parses an object and resolves key, container and list-item positions lazily', () => {
    const text = '{\n  "a": {\n    "b": [1, {"c": "x:y"}]\n  },\n  "toString": "ok"\n}';
    const { values, positions } = jsonFormat.parse(text, ctxFor());
    expect(values).toEqual({ a: { b: [1, { c: 'x:y' }] }, toString: 'ok' });
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(values, 'toString')).toBe(true);
    expect(positions.get('a')).toEqual({ line: 2, column: 3 });
    expect(positions.get('a.b')).toEqual({ line: 3, column: 5 });
    expect(positions.get('a.b.0')).toEqual({ line: 3, column: 11 });
    expect(positions.get('a.b.1.c')).toEqual({ line: 3, column: 15 });
    expect(positions.get('toString')).toEqual({ line: 5, column: 3 });
    expect(positions.get('missing')).toBeUndefined();
  });

  it('keys with dots get bracket-quoted canonical paths', () => {
    const { positions } = jsonFormat.parse('{"a": {"b.c": 1}}', ctxFor());
    expect(positions.get('a["b.c"]')).toEqual({ line: 1, column: 8 });
  });

  it.each([
    ['duplicate at root', '{"a": 1,\n "a": 2}', 'duplicate_key', 2, 2],
    ['duplicate nested', '{"x": {"k": 1, "j": {"k": 0}, "k": 2}}', 'duplicate_key', 1, 31],
    ['duplicate via escape', '{"a": 1, "\\u0061": 2}', 'duplicate_key', 1, 10],
    ['duplicate in big object', `{${Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "k7": 0}`, 'duplicate_key', 1, undefined],
    ['__proto__ key', '{"a": {"__proto__": {"x": 1}}}', 'forbidden_key', 1, 8],
    ['constructor key', '{"constructor": 1}', 'forbidden_key', 1, 2],
    ['prototype key (escaped)', '{"prot\\u006ftype": 1}', 'forbidden_key', 1, 2],
    ['unsafe integer', '{"id": 9007199254740993}', 'parse_failed', 1, 8],
    ['negative unsafe integer', '{"id": -9007199254740993}', 'parse_failed', 1, 8],
    ['trailing comma', '{"a": 1,}', 'parse_failed', 1, 9],
    ['bare word value', '{"a": nope}', 'parse_failed', 1, 7],
    ['missing colon', '{"a" 1}', 'parse_failed', 1, 6],
    ['unterminated string', '{"a": "abc', 'parse_failed', 1, 7],
    ['array root', '[1, 2]', 'parse_failed', 1, 1],
    ['scalar root', '  42', 'parse_failed', 1, 3],
    ['empty document', '', 'parse_failed', 1, 1],
    ['trailing content', '{} {}', 'parse_failed', 1, 4],
    ['control char in string', '{"a": "x\u0001"}', 'parse_failed', 1, 9],
  ])('%s → %s at line:col', (_name, text, code, line, column) => {
    const err = parseError(jsonFormat, text, undefined, 'cfg/app.json');
    expect(err.code).toBe(code);
    expect(err.format).toBe('json');
    expect(err.provider).toBe('file:test');
    expect(err.location?.file).toBe('cfg/app.json');
    expect(err.location?.line).toBe(line);
    if (column !== undefined) expect(err.location?.column).toBe(column);
  });

  it('keeps integers up to 2^53-1 and large float literals', () => {
    const { values } = jsonFormat.parse('{"a": 9007199254740991, "b": -9007199254740991, "c": 1e20, "d": 1.5e300}', ctxFor());
    expect(values).toEqual({ a: 9007199254740991, b: -9007199254740991, c: 1e20, d: 1.5e300 });
  });

  it('marks the precision failure with context.reason = precision', () => {
    expect(parseError(jsonFormat, fixture('invalid/int-precision.json')).context).toMatchObject({ reason: 'precision' });
  });

  it('200,000 × [ gives limit_exceeded (depth), not RangeError', () => {
    const err = parseError(jsonFormat, '['.repeat(200_000));
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit: 'maxDepth', max: 256 });
    expect(err.location).toMatchObject({ line: 1, column: 257 });
    expect(err.message).not.toMatch(/call stack/i);
  });

  it('a valid but too deep document gives limit_exceeded at the first too-deep bracket', () => {
    const text = `{"a": ${'['.repeat(300)}${']'.repeat(300)}}`;
    const err = parseError(jsonFormat, text);
    expect(err.code).toBe('limit_exceeded');
    expect(err.location).toMatchObject({ line: 1, column: 7 + 255 });
  });

  it.each([
    ['maxDocumentBytes', '{"a": "0123456789"}', { maxDocumentBytes: 10 }],
    ['maxScalarBytes', '{"a": "0123456789"}', { maxScalarBytes: 5 }],
    ['maxScalarBytes', '{"0123456789": 1}', { maxScalarBytes: 5 }],
    ['maxNodes', '{"a": [1, 2, 3, 4, 5, 6]}', { maxNodes: 5 }],
    ['maxDepth', '{"a": {"b": {"c": 1}}}', { maxDepth: 2 }],
  ])('%s → limit_exceeded (%s)', (limit, text, limits) => {
    const err = parseError(jsonFormat, text, limits);
    expect(err.code).toBe('limit_exceeded');
    expect(err.context).toMatchObject({ limit });
  });

  it('maxScalarBytes counts UTF-8 bytes', () => {
    expect(parseError(jsonFormat, '{"a": "ééé"}', { maxScalarBytes: 5 }).code).toBe('limit_exceeded');
    expect(jsonFormat.parse('{"a": "ééé"}', ctxFor('x', { maxScalarBytes: 6 })).values).toEqual({ a: 'ééé' });
  });

  it('counts colons inside strings correctly (no false duplicate)', () => {
    const { values } = jsonFormat.parse('{"url": "http://a:b@c:80/", "t": "12:30:00", "k:ey": ":"}', ctxFor());
    expect(values).toEqual({ url: 'http://a:b@c:80/', t: '12:30:00', 'k:ey': ':' });
  });

  it('an escaped colon (\\u003a) still parses and still finds duplicates', () => {
    expect(jsonFormat.parse('{"a": "\\u003a", "b": 1}', ctxFor()).values).toEqual({ a: ':', b: 1 });
    expect(parseError(jsonFormat, '{"a": "\\u003a", "a": 1}').code).toBe('duplicate_key');
  });

  it('leaves Object.prototype untouched for every forbidden-key input', () => {
    for (const text of ['{"__proto__": {"polluted": 1}}', '{"a": {"constructor": {"prototype": {"polluted": 1}}}}']) {
      parseError(jsonFormat, text);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
