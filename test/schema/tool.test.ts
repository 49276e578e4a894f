import { describe, expect, it } from 'vitest';
import { ToolConfigSchema } from '../../src/presets/framework/schema.js';
import { issuesOf } from './issues.js';

describe('ToolConfigSchema', () => {
  it('defaults enabled to true', () => {
    expect(ToolConfigSchema.parse({ name: 't', provider: 'p' })).toEqual({ name: 't', provider: 'p', enabled: true });
  });

  it('keeps enabled false, description and config', () => {
    const input = { name: 't', provider: 'p', enabled: false, description: 'd', config: { k: 1 } };
    expect(ToolConfigSchema.parse(input)).toEqual(input);
  });

  it.each([
    { name: 'missing provider', input: { name: 't' }, path: 'provider', code: 'invalid_type' },
    { name: 'empty name', input: { name: '', provider: 'p' }, path: 'name', code: 'invalid_format' },
    { name: 'string enabled', input: { name: 't', provider: 'p', enabled: 'yes' }, path: 'enabled', code: 'invalid_type' },
    { name: 'number description', input: { name: 't', provider: 'p', description: 1 }, path: 'description', code: 'invalid_type' },
    { name: 'config a string', input: { name: 't', provider: 'p', config: 'x' }, path: 'config', code: 'invalid_type' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(ToolConfigSchema, input)).toEqual([{ path, code }]);
  });
});
