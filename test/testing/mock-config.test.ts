import { describe, expect, it } from 'vitest';
import { validateConfig } from 'confstack';
import { mockConfig } from 'confstack/testing';

describe('mockConfig', () => {
  it('builds a config that passes the framework schema, with defaults for omitted fields', async () => {
    const cfg = mockConfig()
      .withLLMProvider({ name: 'openai' })
      .withEmbeddingProvider()
      .withVectorStore()
      .withTool({ name: 'search' })
      .withAgent({ name: 'helper', tool_names: ['search'] })
      .build();
    await expect(validateConfig(cfg)).resolves.toBeUndefined();
    expect(cfg.llm_providers).toEqual([{ name: 'openai', provider: 'openai', model_name: 'gpt-4o-mini' }]);
    expect(cfg.agents).toEqual([{ name: 'helper', tool_names: ['search'], llm_provider_name: 'openai' }]);
    expect(cfg.embedding_providers?.[0]).toMatchObject({ name: 'embedding-1', api_key: expect.any(String) });
    expect(cfg.vector_stores?.[0]).toMatchObject({ name: 'store-1' });
  });

  it('keeps references valid: adds the LLM provider and tools an agent names', async () => {
    const cfg = mockConfig().withAgent({ llm_provider_name: 'claude', tool_names: ['a', 'b'] }).withAgent().build();
    await expect(validateConfig(cfg)).resolves.toBeUndefined();
    expect(cfg.llm_providers?.map((p) => p.name)).toEqual(['claude']);
    expect(cfg.tools?.map((t) => t.name)).toEqual(['a', 'b']);
    expect(cfg.agents?.map((a) => [a.name, a.llm_provider_name])).toEqual([
      ['agent-1', 'claude'],
      ['agent-2', 'claude'],
    ]);
  });

  it('numbers unnamed entries, omits unused lists and adds other root keys', () => {
    const cfg = mockConfig().withTool().withTool().with('server', { port: 8080 }).build();
    expect(cfg).toEqual({ server: { port: 8080 }, tools: [{ name: 'tool-1', provider: 'builtin' }, { name: 'tool-2', provider: 'builtin' }] });
  });

  it('returns a fresh object per build and renders YAML', () => {
    const b = mockConfig().withLLMProvider();
    const one = b.build();
    one.llm_providers![0]!.name = 'changed';
    expect(b.build().llm_providers![0]!.name).toBe('llm-1');
    expect(b.toYAML()).toContain('model_name: gpt-4o-mini');
  });

  it.each([
    { name: 'duplicate names', act: () => mockConfig().withTool({ name: 'x' }).withTool({ name: 'x' }), code: 'invalid_parameters' },
    { name: 'a list key through with()', act: () => mockConfig().with('agents', []), code: 'invalid_parameters' },
    { name: 'a prototype key', act: () => mockConfig().with('__proto__', {}), code: 'forbidden_key' },
  ])('rejects $name', ({ act, code }) => {
    expect(act).toThrow(expect.objectContaining({ code }));
  });
});
