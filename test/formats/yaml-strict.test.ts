/**
 * YAML 1.2 strictness on top of the js-yaml fast path (issue 14): invalid YAML that js-yaml lets
 * through is refused, collection keys are refused (never stringified), valid YAML that js-yaml
 * refuses is read. Every refusal is located.
 */
import { describe, expect, it } from 'vitest';
import { yamlFormat } from '../../src/formats/yaml.js';
import { ctxFor, parseError } from './parse-helpers.js';

const parse = (text: string) => yamlFormat.parse(text, ctxFor('c.yaml')).values;

describe('YAML strictness', () => {
  // [what, text, line, column, reason]
  const INVALID: [string, string, number, number][] = [
    ['a comment glued to a quoted scalar', 'a: 1\nkey: "value"# comment\n', 2, 13],
    ['a mapping on the document-start line', '--- key1: value1\n    key2: value2\n', 1, 5],
    ['a tab in block-scalar indentation', 'foo: |\n\t\nbar: 1\n', 2, 1],
    ['a multi-line quoted scalar not indented', 'quoted: "a\nb\nc"\n', 1, 11],
    ['a flow sequence continued without indentation', 'flow: [a,\nb,\nc]\n', 2, 1],
  ];
  it.each(INVALID)('refuses %s, located', (_what, text, line, column) => {
    const err = parseError(yamlFormat, text, undefined, 'c.yaml');
    expect(err.code).toBe('parse_failed');
    expect(err.message).toMatch(/^parse: invalid YAML: /);
    expect(err.location).toMatchObject({ file: 'c.yaml', line, column });
  });

  const COLLECTION_KEYS: [string, string, number, number][] = [
    ['a flow sequence', 'ok: 1\n[a, b]: x\n', 2, 1],
    ['a flow mapping', '{first: Sammy, last: Sosa}: x\n', 1, 1],
    ['an explicit block sequence key', '? - a\n  - b\n: x\n', 1, 3],
    ['an alias of a sequence', 'list: &l [a, b]\n*l : x\n', 2, 1],
  ];
  it.each(COLLECTION_KEYS)('refuses %s as a key instead of stringifying it', (_what, text, line, column) => {
    const err = parseError(yamlFormat, text, undefined, 'c.yaml');
    expect(err.code).toBe('parse_failed');
    expect(err.context).toMatchObject({ reason: 'collection key' });
    expect(err.location).toMatchObject({ file: 'c.yaml', line, column });
  });

  it('reads valid YAML that js-yaml refuses', () => {
    expect(parse('{"foo"\n: "bar"}\n')).toEqual({ foo: 'bar' });
    expect(parse('a: {"b"\n  : c}\n')).toEqual({ a: { b: 'c' } });
  });

  it('keeps the fast path answers for ordinary documents and anchors (<< stays a literal key)', () => {
    expect(parse('base: &b\n  x: 1\nderived:\n  <<: *b\n  y: "two"\nlist: [1, 2]\n')).toEqual({ base: { x: 1 }, derived: { '<<': { x: 1 }, y: 'two' }, list: [1, 2] });
    expect(parse("msg: it's fine # a comment\nurl: http://h/[x]\n")).toEqual({ msg: "it's fine", url: 'http://h/[x]' });
  });

  it('still refuses duplicate keys, unknown tags and multiple documents in their documented classes after the strict check', () => {
    expect(parseError(yamlFormat, 'a: 1\n\tb: 2\na: 3\n').code).toBe('parse_failed');
    expect(parseError(yamlFormat, 'k: &x 1\nk: 2\n').code).toBe('duplicate_key');
    expect(parseError(yamlFormat, 'k: !!binary aGk=\n').context).toMatchObject({ reason: 'unsupported tag' });
    expect(parseError(yamlFormat, 'a: 1\n---\nb: 2\n').context).toMatchObject({ reason: 'multiple documents' });
  });
});
