import { describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '../../src/presets/framework/schema.js';
import { issuesOf } from './issues.js';

const base = { name: 'a', llm_provider_name: 'p' };

describe('AgentConfigSchema', () => {
  it('defaults max_iterations to 10', () => {
    expect(AgentConfigSchema.parse(base)).toEqual({ ...base, max_iterations: 10 });
  });

  it('keeps every optional field', () => {
    const input = {
      ...base,
      llm_provider_config_name: 'p',
      tool_names: ['t1', 't2'],
      memory_provider_name: 'redis',
      memory_type: 'buffer',
      memory_config_name: 'm',
      max_iterations: 3,
      settings: { verbose: true },
      prompt_template: 'Hi {input}',
      output_parser: 'json',
      agent_type: 'react',
      agent_specific_config: { x: 1 },
    };
    expect(AgentConfigSchema.parse(input)).toEqual(input);
  });

  it.each([
    { name: 'missing llm_provider_name', input: { name: 'a' }, path: 'llm_provider_name', code: 'invalid_type' },
    { name: 'empty llm_provider_name', input: { ...base, llm_provider_name: '' }, path: 'llm_provider_name', code: 'invalid_format' },
    { name: 'max_iterations 0', input: { ...base, max_iterations: 0 }, path: 'max_iterations', code: 'too_small' },
    { name: 'max_iterations -1', input: { ...base, max_iterations: -1 }, path: 'max_iterations', code: 'too_small' },
    { name: 'fractional max_iterations', input: { ...base, max_iterations: 2.5 }, path: 'max_iterations', code: 'invalid_type' },
    { name: 'NaN max_iterations', input: { ...base, max_iterations: NaN }, path: 'max_iterations', code: 'invalid_type' },
    { name: 'Infinity max_iterations', input: { ...base, max_iterations: Infinity }, path: 'max_iterations', code: 'invalid_type' },
    { name: 'string max_iterations', input: { ...base, max_iterations: '10' }, path: 'max_iterations', code: 'invalid_type' },
    { name: 'tool_names a string', input: { ...base, tool_names: 't' }, path: 'tool_names', code: 'invalid_type' },
    { name: 'empty tool name', input: { ...base, tool_names: ['ok', ''] }, path: 'tool_names.1', code: 'invalid_format' },
    { name: 'settings a number', input: { ...base, settings: 1 }, path: 'settings', code: 'invalid_type' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(AgentConfigSchema, input)).toEqual([{ path, code }]);
  });
});
