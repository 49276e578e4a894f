import { describe, expect, it } from 'vitest';
import { EmbeddingProviderConfigSchema } from '../../src/presets/framework/schema.js';
import { issuesOf } from './issues.js';

const base = { name: 'e', provider: 'openai', model_name: 'text-embedding-3-small', api_key: 'sk-e' };

describe('EmbeddingProviderConfigSchema', () => {
  it('accepts the required fields, optional base_url and provider_specific, and unknown keys', () => {
    const input = { ...base, base_url: 'http://localhost:11434', provider_specific: { dims: 512 }, note: 'x' };
    expect(EmbeddingProviderConfigSchema.parse(input)).toEqual(input);
  });

  it.each([
    { name: 'missing api_key', input: { name: 'e', provider: 'p', model_name: 'm' }, path: 'api_key', code: 'invalid_type' },
    { name: 'empty api_key', input: { ...base, api_key: '' }, path: 'api_key', code: 'invalid_format' },
    { name: 'empty provider', input: { ...base, provider: '' }, path: 'provider', code: 'invalid_format' },
    { name: 'missing model_name', input: { name: 'e', provider: 'p', api_key: 'k' }, path: 'model_name', code: 'invalid_type' },
    { name: 'bad base_url', input: { ...base, base_url: 'localhost' }, path: 'base_url', code: 'invalid_format' },
    { name: 'provider_specific a list', input: { ...base, provider_specific: [1] }, path: 'provider_specific', code: 'invalid_type' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(EmbeddingProviderConfigSchema, input)).toEqual([{ path, code }]);
  });
});
