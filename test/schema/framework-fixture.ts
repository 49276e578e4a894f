/** A valid framework configuration (~3 KB as JSON) shared by the schema and validate tests. */
export function validFrameworkConfig(): Record<string, unknown> {
  return {
    llm_providers: [
      {
        name: 'openai-gpt4o',
        provider: 'openai',
        model_name: 'gpt-4o',
        api_key: 'sk-test-0000000000000000',
        base_url: 'https://api.openai.com/v1',
        default_call_options: { temperature: 0.2, max_tokens: 2048, top_p: 1 },
        provider_specific: { organization: 'org-123' },
      },
      { name: 'claude', provider: 'anthropic', model_name: 'claude-3-5-sonnet', api_key: 'anthropic-key-000000' },
      {
        name: 'local-llama',
        provider: 'ollama',
        model_name: 'llama3.1:8b',
        base_url: 'http://localhost:11434',
        provider_specific: { keep_alive: '5m', num_ctx: 8192 },
      },
    ],
    embedding_providers: [
      { name: 'openai-embed', provider: 'openai', model_name: 'text-embedding-3-small', api_key: 'sk-embed-000000000000' },
      {
        name: 'local-embed',
        provider: 'ollama',
        model_name: 'nomic-embed-text',
        api_key: 'unused-but-required',
        base_url: 'http://localhost:11434',
      },
    ],
    vector_stores: [
      { name: 'memory', provider: 'inmemory' },
      {
        name: 'pg',
        provider: 'pgvector',
        connection_string: 'postgres://app:pw@db:5432/vectors',
        provider_specific: { table: 'embeddings', dimensions: 1536 },
      },
    ],
    tools: [
      { name: 'web-search', provider: 'tavily', description: 'Searches the web', config: { max_results: 5 } },
      { name: 'calculator', provider: 'builtin', description: 'Evaluates arithmetic', enabled: true },
      { name: 'shell', provider: 'builtin', description: 'Runs shell commands', enabled: false },
      { name: 'retriever', provider: 'builtin', description: 'Looks up documents', config: { store: 'pg', k: 4 } },
    ],
    agents: [
      {
        name: 'helper',
        llm_provider_name: 'openai-gpt4o',
        tool_names: ['web-search', 'calculator'],
        memory_provider_name: 'redis',
        memory_type: 'buffer',
        max_iterations: 15,
        settings: { verbose: true },
        prompt_template: 'You are a helpful assistant. Answer the question: {input}',
        agent_type: 'react',
      },
      {
        name: 'researcher',
        llm_provider_name: 'claude',
        llm_provider_config_name: 'claude',
        tool_names: ['web-search', 'retriever'],
        output_parser: 'json',
        agent_type: 'openai_tools',
        agent_specific_config: { parallel_tool_calls: true },
      },
      { name: 'offline', llm_provider_name: 'local-llama' },
    ],
    server: { port: 8080, host: '0.0.0.0' },
    logging: { level: 'info' },
  };
}
