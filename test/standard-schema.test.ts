import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isStandardSchema, issuePathSegments, jsonSchemaConverterOf, standardPropsOf } from '../src/foundation/standard-schema.js';

const throwingGetter = { get '~standard'() { throw new Error('x'); } };

describe('isStandardSchema', () => {
  it.each([
    { name: 'a zod schema', value: z.string(), expected: true },
    { name: 'a valibot schema', value: v.string(), expected: true },
    { name: 'a callable schema', value: Object.assign(() => 1, { '~standard': { version: 1, vendor: 'f', validate: () => ({ value: 1 }) } }), expected: true },
    { name: 'null', value: null, expected: false },
    { name: 'a plain object', value: { validate: () => 1 }, expected: false },
    { name: 'a non-function validate', value: { '~standard': { validate: 1 } }, expected: false },
    { name: 'a throwing getter', value: throwingGetter, expected: false },
  ])('is $expected for $name', ({ value, expected }) => {
    expect(isStandardSchema(value)).toBe(expected);
    expect(standardPropsOf(value) !== undefined).toBe(expected);
  });
});

describe('jsonSchemaConverterOf', () => {
  it('finds zod\'s converter and nothing on valibot or hostile values', () => {
    expect(jsonSchemaConverterOf(z.object({ a: z.number() }))?.input({ target: 'draft-2020-12' })).toMatchObject({ type: 'object' });
    expect(jsonSchemaConverterOf(v.object({}))).toBeUndefined();
    expect(jsonSchemaConverterOf(throwingGetter)).toBeUndefined();
    expect(jsonSchemaConverterOf({ '~standard': { validate: () => 1, get jsonSchema() { throw new Error('x'); } } })).toBeUndefined();
  });
});

describe('issuePathSegments', () => {
  it.each([
    { name: 'keys and indices', path: ['a', 0, 'b'], expected: ['a', '0', 'b'] },
    { name: 'path segments', path: [{ key: 'a' }, { key: 1 }], expected: ['a', '1'] },
    { name: 'a symbol', path: [Symbol('s')], expected: ['Symbol(s)'] },
    { name: 'junk segments', path: [null, {}, true], expected: ['?', '?', '?'] },
    { name: 'no path', path: undefined, expected: [] },
    { name: 'a non-array path', path: 'a.b', expected: [] },
  ])('turns $name into strings', ({ path, expected }) => {
    expect(issuePathSegments(path)).toEqual(expected);
  });

  it('caps the number of segments', () => {
    expect(issuePathSegments(Array.from({ length: 5000 }, () => 'a'))).toHaveLength(1000);
  });
});
