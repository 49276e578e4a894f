/**
 * mockConfig(): a builder of framework configurations that pass the framework schema, with
 * sensible defaults for every omitted required field and the references kept consistent
 * (an agent's LLM provider and tools exist).
 */
import { stringify } from 'yaml';
import { ConfigError } from '../index.js';

type Loose = Record<string, unknown>;
/** An LLM provider entry; every field optional here (defaults fill the required ones). */
export type MockLLMProvider = Loose & { name?: string; provider?: string; model_name?: string; api_key?: string; base_url?: string };
export type MockEmbeddingProvider = Loose & { name?: string; provider?: string; model_name?: string; api_key?: string };
export type MockVectorStore = Loose & { name?: string; provider?: string; connection_string?: string };
export type MockTool = Loose & { name?: string; provider?: string; description?: string; enabled?: boolean };
export type MockAgent = Loose & { name?: string; llm_provider_name?: string; tool_names?: string[]; max_iterations?: number };

/** The framework configuration a builder produces (root keys present only when used). */
export interface MockFrameworkConfig extends Loose {
  llm_providers?: Loose[];
  embedding_providers?: Loose[];
  vector_stores?: Loose[];
  tools?: Loose[];
  agents?: Loose[];
}

/** Fluent builder returned by {@link mockConfig}. Each `with*` call appends one entry. */
export interface MockConfigBuilder {
  withLLMProvider(p?: MockLLMProvider): MockConfigBuilder;
  withEmbeddingProvider(e?: MockEmbeddingProvider): MockConfigBuilder;
  withVectorStore(v?: MockVectorStore): MockConfigBuilder;
  withTool(t?: MockTool): MockConfigBuilder;
  withAgent(a?: MockAgent): MockConfigBuilder;
  /** Sets any other root key (`server`, `logging`…). */
  with(key: string, value: unknown): MockConfigBuilder;
  /** A fresh plain object each call. */
  build(): MockFrameworkConfig;
  /** The same, as YAML text (for `tempConfigDir`). */
  toYAML(): string;
}

const LISTS = ['llm_providers', 'embedding_providers', 'vector_stores', 'tools', 'agents'] as const;
type ListKey = (typeof LISTS)[number];

/** The configuration the builder holds, with every reference an agent makes resolvable. */
function assemble(lists: Record<ListKey, Loose[]>, extra: Loose): MockFrameworkConfig {
  const llms = lists.llm_providers.map((e) => ({ ...e }));
  const tools = lists.tools.map((e) => ({ ...e }));
  const agents = lists.agents.map((a) => {
    const agent = structuredClone(a);
    // Keep references valid: default to the first LLM provider, create what is named but missing.
    if (agent.llm_provider_name === undefined) {
      if (llms.length === 0) llms.push({ name: 'llm-1', provider: 'openai', model_name: 'gpt-4o-mini' });
      agent.llm_provider_name = llms[0]!.name;
    } else if (!llms.some((l) => l.name === agent.llm_provider_name)) {
      llms.push({ name: agent.llm_provider_name, provider: 'openai', model_name: 'gpt-4o-mini' });
    }
    for (const t of (agent.tool_names as string[] | undefined) ?? []) {
      if (!tools.some((x) => x.name === t)) tools.push({ name: t, provider: 'builtin' });
    }
    return agent;
  });
  const out: MockFrameworkConfig = structuredClone(extra);
  const all: Record<ListKey, Loose[]> = { llm_providers: llms, embedding_providers: lists.embedding_providers, vector_stores: lists.vector_stores, tools, agents };
  for (const key of LISTS) if (all[key].length > 0) out[key] = structuredClone(all[key]);
  return out;
}

/**
 * Starts a builder of a valid framework configuration.
 * @example
 * const cfg = mockConfig().withLLMProvider({ name: 'openai' }).withAgent({ name: 'helper' }).build();
 * // cfg.agents[0].llm_provider_name === 'openai'
 */
export function mockConfig(): MockConfigBuilder {
  const lists: Record<ListKey, Loose[]> = { llm_providers: [], embedding_providers: [], vector_stores: [], tools: [], agents: [] };
  const extra: Loose = {};

  const add = (key: ListKey, entry: Loose): void => {
    if (lists[key].some((e) => e.name === entry.name)) {
      throw new ConfigError({ op: 'mockConfig', code: 'invalid_parameters', message: `${key} already has an entry named "${String(entry.name)}"` });
    }
    lists[key].push(structuredClone(entry));
  };
  const nth = (key: ListKey): number => lists[key].length + 1;

  const builder: MockConfigBuilder = {
    withLLMProvider(p = {}) {
      add('llm_providers', { name: `llm-${nth('llm_providers')}`, provider: 'openai', model_name: 'gpt-4o-mini', ...p });
      return builder;
    },
    withEmbeddingProvider(e = {}) {
      add('embedding_providers', { name: `embedding-${nth('embedding_providers')}`, provider: 'openai', model_name: 'text-embedding-3-small', api_key: 'test-api-key', ...e });
      return builder;
    },
    withVectorStore(v = {}) {
      add('vector_stores', { name: `store-${nth('vector_stores')}`, provider: 'memory', ...v });
      return builder;
    },
    withTool(t = {}) {
      add('tools', { name: `tool-${nth('tools')}`, provider: 'builtin', ...t });
      return builder;
    },
    withAgent(a = {}) {
      add('agents', { name: `agent-${nth('agents')}`, ...a });
      return builder;
    },
    with(key, value) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        throw new ConfigError({ op: 'mockConfig', code: 'forbidden_key', message: `key "${key}" is not allowed`, location: { key } });
      }
      if ((LISTS as readonly string[]).includes(key)) {
        throw new ConfigError({ op: 'mockConfig', code: 'invalid_parameters', message: `use the with* method for "${key}"`, location: { key } });
      }
      extra[key] = structuredClone(value);
      return builder;
    },
    build() {
      return assemble(lists, extra);
    },
    toYAML() {
      return stringify(builder.build());
    },
  };
  return builder;
}
