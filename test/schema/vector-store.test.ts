import { describe, expect, it } from 'vitest';
import { VectorStoreConfigSchema } from '../../src/presets/framework/schema.js';
import { issuesOf } from './issues.js';

describe('VectorStoreConfigSchema', () => {
  it('accepts name and provider, with optional connection_string and provider_specific', () => {
    const input = { name: 'pg', provider: 'pgvector', connection_string: 'postgres://x', provider_specific: { t: 'e' } };
    expect(VectorStoreConfigSchema.parse(input)).toEqual(input);
    expect(VectorStoreConfigSchema.parse({ name: 'm', provider: 'inmemory' })).toEqual({ name: 'm', provider: 'inmemory' });
  });

  it.each([
    { name: 'missing name', input: { provider: 'p' }, path: 'name', code: 'invalid_type' },
    { name: 'missing provider', input: { name: 'n' }, path: 'provider', code: 'invalid_type' },
    { name: 'number connection_string', input: { name: 'n', provider: 'p', connection_string: 5 }, path: 'connection_string', code: 'invalid_type' },
    { name: 'empty connection_string', input: { name: 'n', provider: 'p', connection_string: '' }, path: 'connection_string', code: 'invalid_format' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(VectorStoreConfigSchema, input)).toEqual([{ path, code }]);
  });
});
