import { describe, expect, it } from 'vitest';
import { FrameworkConfigSchema } from '../../src/presets/framework/schema.js';
import { validFrameworkConfig } from './framework-fixture.js';
import { issuesOf } from './issues.js';

const llm = (name: string) => ({ name, provider: 'openai', model_name: 'm' });
const tool = (name: string) => ({ name, provider: 'builtin' });

describe('FrameworkConfigSchema', () => {
  it('accepts the fixture and applies item defaults', () => {
    const out = FrameworkConfigSchema.parse(validFrameworkConfig());
    expect(out.agents.map((a) => a.max_iterations)).toEqual([15, 10, 10]);
    expect(out.tools.map((t) => t.enabled)).toEqual([true, true, false, true]);
    expect(out.llm_providers[1]?.default_call_options).toEqual({ temperature: 0.7, max_tokens: 1000 });
  });

  it('defaults every root list to []', () => {
    expect(FrameworkConfigSchema.parse({})).toEqual({
      llm_providers: [],
      embedding_providers: [],
      vector_stores: [],
      tools: [],
      agents: [],
    });
  });

  it('keeps unknown root keys', () => {
    const out = FrameworkConfigSchema.parse({ server: { port: 8080 }, feature_flags: ['a'] });
    expect(out.server).toEqual({ port: 8080 });
    expect(out.feature_flags).toEqual(['a']);
  });

  it('does not share default lists between parses', () => {
    const a = FrameworkConfigSchema.parse({});
    a.tools.push({ name: 'x', provider: 'y', enabled: true });
    expect(FrameworkConfigSchema.parse({}).tools).toEqual([]);
  });

  it.each([
    { name: 'a string root', input: 'config', path: '', code: 'invalid_type' },
    { name: 'a list root', input: [], path: '', code: 'invalid_type' },
    { name: 'llm_providers an object', input: { llm_providers: {} }, path: 'llm_providers', code: 'invalid_type' },
    { name: 'agents null', input: { agents: null }, path: 'agents', code: 'invalid_type' },
    { name: 'a tool that is a string', input: { tools: ['web'] }, path: 'tools.0', code: 'invalid_type' },
  ])('rejects $name', ({ input, path, code }) => {
    expect(issuesOf(FrameworkConfigSchema, input)).toEqual([{ path, code }]);
  });

  it.each(['llm_providers', 'embedding_providers', 'vector_stores', 'tools', 'agents'] as const)(
    'reports a duplicate name in %s at the duplicate\'s name',
    (key) => {
      const items = {
        llm_providers: [llm('x'), llm('y'), llm('x')],
        embedding_providers: [{ ...llm('x'), api_key: 'k' }, { ...llm('y'), api_key: 'k' }, { ...llm('x'), api_key: 'k' }],
        vector_stores: [tool('x'), tool('y'), tool('x')],
        tools: [tool('x'), tool('y'), tool('x')],
        agents: [
          { name: 'x', llm_provider_name: 'p' },
          { name: 'y', llm_provider_name: 'p' },
          { name: 'x', llm_provider_name: 'p' },
        ],
      }[key];
      const input = { llm_providers: [llm('p')], [key]: items };
      if (key === 'llm_providers') input.llm_providers = [...(items as ReturnType<typeof llm>[]), llm('p')];
      expect(issuesOf(FrameworkConfigSchema, input)).toEqual([{ path: `${key}.2.name`, code: 'custom' }]);
    },
  );

  it('reports every duplicate, not only the first', () => {
    const input = { tools: [tool('a'), tool('a'), tool('b'), tool('a'), tool('b')] };
    expect(issuesOf(FrameworkConfigSchema, input).map((i) => i.path)).toEqual(['tools.1.name', 'tools.3.name', 'tools.4.name']);
  });

  it('reports an agent whose llm_provider_name names no LLM provider', () => {
    const input = { llm_providers: [llm('a')], agents: [{ name: 'h', llm_provider_name: 'b' }] };
    expect(issuesOf(FrameworkConfigSchema, input)).toEqual([{ path: 'agents.0.llm_provider_name', code: 'custom' }]);
  });

  it('reports every tool_names entry that names no tool', () => {
    const input = {
      llm_providers: [llm('a')],
      tools: [tool('t1')],
      agents: [{ name: 'h', llm_provider_name: 'a', tool_names: ['t1', 'nope', 't1', 'gone'] }],
    };
    expect(issuesOf(FrameworkConfigSchema, input).map((i) => i.path)).toEqual(['agents.0.tool_names.1', 'agents.0.tool_names.3']);
  });

  it('does not resolve references against an embedding provider or other lists', () => {
    const input = {
      embedding_providers: [{ ...llm('e'), api_key: 'k' }],
      vector_stores: [tool('t')],
      agents: [{ name: 'h', llm_provider_name: 'e', tool_names: ['t'] }],
    };
    expect(issuesOf(FrameworkConfigSchema, input).map((i) => i.path)).toEqual(['agents.0.llm_provider_name', 'agents.0.tool_names.0']);
  });

  it('reports field errors and cross-field errors in one parse', () => {
    const input = {
      llm_providers: [llm('a'), { name: 'a', provider: 'openai' }],
      tools: [{ name: 't', provider: 'p', enabled: 'yes' }],
      agents: [{ name: 'h', llm_provider_name: 'zz', tool_names: ['t', 'missing'], max_iterations: 0 }],
    };
    expect(issuesOf(FrameworkConfigSchema, input)).toEqual([
      { path: 'llm_providers.1.model_name', code: 'invalid_type' },
      { path: 'tools.0.enabled', code: 'invalid_type' },
      { path: 'agents.0.max_iterations', code: 'too_small' },
      { path: 'llm_providers.1.name', code: 'custom' },
      { path: 'agents.0.llm_provider_name', code: 'custom' },
      { path: 'agents.0.tool_names.1', code: 'custom' },
    ]);
  });

  it('survives malformed items while checking cross-field rules', () => {
    const input = { llm_providers: [null, 3, { name: 7 }], tools: 'x', agents: [null, { name: 'a', llm_provider_name: 5, tool_names: 'x' }] };
    const paths = issuesOf(FrameworkConfigSchema, input).map((i) => i.path);
    expect(paths).toContain('llm_providers.0');
    expect(paths).toContain('tools');
    expect(paths).toContain('agents.1.llm_provider_name');
  });

  it('validates a 10,000-item list', () => {
    const tools = Array.from({ length: 10_000 }, (_, i) => tool(`tool-${i}`));
    const agents = [{ name: 'h', llm_provider_name: 'a', tool_names: tools.map((t) => t.name) }];
    const out = FrameworkConfigSchema.parse({ llm_providers: [llm('a')], tools, agents });
    expect(out.tools).toHaveLength(10_000);
  });

  it('reports 10,000 duplicates without giving up', () => {
    const tools = Array.from({ length: 10_001 }, () => tool('same'));
    expect(issuesOf(FrameworkConfigSchema, { tools })).toHaveLength(10_000);
  });

  describe('~standard.validate', () => {
    const cases: { name: string; input: unknown }[] = [
      { name: 'the valid fixture', input: validFrameworkConfig() },
      { name: 'an empty object', input: {} },
      { name: 'a non-object root', input: 42 },
      {
        name: 'field and cross-field errors together',
        input: {
          llm_providers: [llm('a'), { name: 'a', provider: 'openai' }],
          tools: [{ name: 't', provider: 'p', enabled: 'yes' }, tool('t')],
          agents: [{ name: 'h', llm_provider_name: 'zz', tool_names: ['t', 'missing'], max_iterations: 0 }],
          extra: { kept: true },
        },
      },
      { name: 'only cross-field errors', input: { agents: [{ name: 'h', llm_provider_name: 'x', tool_names: ['y'] }] } },
      { name: 'malformed items', input: { llm_providers: [null, { name: 7 }], agents: [null, { name: 'a', llm_provider_name: 5 }] } },
    ];

    it.each(cases)('agrees with safeParse on $name', ({ input }) => {
      const parsed = FrameworkConfigSchema.safeParse(input);
      const standard = FrameworkConfigSchema['~standard'].validate(input);
      expect(standard).not.toBeInstanceOf(Promise);
      if (parsed.success) expect(standard).toEqual({ value: parsed.data });
      else expect(standard).toEqual({ issues: parsed.error.issues });
    });
  });
});

