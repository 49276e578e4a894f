import { describe, expect, it } from 'vitest';
import { LLMProviderConfigSchema } from '../../src/presets/framework/schema.js';
import { issuesOf } from './issues.js';

const base = { name: 'openai', provider: 'openai', model_name: 'gpt-4o' };

describe('LLMProviderConfigSchema', () => {
  it('accepts the required fields and fills in default_call_options', () => {
    expect(LLMProviderConfigSchema.parse(base)).toEqual({
      ...base,
      default_call_options: { temperature: 0.7, max_tokens: 1000 },
    });
  });

  it('fills in only the missing call options and keeps other call options', () => {
    const out = LLMProviderConfigSchema.parse({ ...base, default_call_options: { temperature: 0, top_p: 0.9 } });
    expect(out.default_call_options).toEqual({ temperature: 0, max_tokens: 1000, top_p: 0.9 });
  });

  it('keeps optional fields and unknown keys', () => {
    const input = {
      ...base,
      api_key: 'sk-x',
      base_url: 'https://example.com/v1',
      provider_specific: { organization: 'o' },
      extra: 1,
    };
    expect(LLMProviderConfigSchema.parse(input)).toMatchObject(input);
  });

  it.each([
    { name: 'missing name', input: { provider: 'p', model_name: 'm' }, path: 'name', code: 'invalid_type' },
    { name: 'missing provider', input: { name: 'n', model_name: 'm' }, path: 'provider', code: 'invalid_type' },
    { name: 'missing model_name', input: { name: 'n', provider: 'p' }, path: 'model_name', code: 'invalid_type' },
    { name: 'empty name', input: { ...base, name: '' }, path: 'name', code: 'invalid_format' },
    { name: 'blank model_name', input: { ...base, model_name: '   ' }, path: 'model_name', code: 'invalid_format' },
    { name: 'number name', input: { ...base, name: 42 }, path: 'name', code: 'invalid_type' },
    { name: 'number api_key', input: { ...base, api_key: 12345 }, path: 'api_key', code: 'invalid_type' },
    { name: 'empty api_key', input: { ...base, api_key: '' }, path: 'api_key', code: 'invalid_format' },
    { name: 'base_url not a URL', input: { ...base, base_url: 'not a url' }, path: 'base_url', code: 'invalid_format' },
    { name: 'base_url not http(s)', input: { ...base, base_url: 'ftp://x.example' }, path: 'base_url', code: 'invalid_format' },
    { name: 'NaN temperature', input: { ...base, default_call_options: { temperature: NaN } }, path: 'default_call_options.temperature', code: 'invalid_type' },
    { name: 'Infinity temperature', input: { ...base, default_call_options: { temperature: Infinity } }, path: 'default_call_options.temperature', code: 'invalid_type' },
    { name: 'string temperature', input: { ...base, default_call_options: { temperature: '0.5' } }, path: 'default_call_options.temperature', code: 'invalid_type' },
    { name: 'fractional max_tokens', input: { ...base, default_call_options: { max_tokens: 1.5 } }, path: 'default_call_options.max_tokens', code: 'invalid_type' },
    { name: 'zero max_tokens', input: { ...base, default_call_options: { max_tokens: 0 } }, path: 'default_call_options.max_tokens', code: 'too_small' },
    { name: 'default_call_options a list', input: { ...base, default_call_options: [] }, path: 'default_call_options', code: 'invalid_type' },
    { name: 'provider_specific a string', input: { ...base, provider_specific: 'x' }, path: 'provider_specific', code: 'invalid_type' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(LLMProviderConfigSchema, input)).toEqual([{ path, code }]);
  });

  it('reports every missing field at once', () => {
    expect(issuesOf(LLMProviderConfigSchema, {}).map((i) => i.path)).toEqual(['name', 'provider', 'model_name']);
  });
});
