/**
 * Deterministic bench fixtures: an AI application's configuration (LLM providers, embeddings,
 * vector stores, tools, agents that refer to them, plus the app's own server/logging keys) at
 * ~3 KB, ~100 KB and ~3 MB of YAML, each written as YAML, JSON and TOML, and the same 10 env
 * overrides for every size. No randomness: a run and its rerun measure the same bytes.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { stringify as tomlStringify } from 'smol-toml';

export type Size = '3KB' | '100KB' | '3MB';
export type Format = 'yaml' | 'json' | 'toml';

export const SIZES: readonly Size[] = ['3KB', '100KB', '3MB'];
export const FORMATS: readonly Format[] = ['yaml', 'json', 'toml'];
/** The nominal size in bytes, what the ±25% check in the smoke test is against. */
export const NOMINAL_BYTES: Readonly<Record<Size, number>> = { '3KB': 3 * 1024, '100KB': 100 * 1024, '3MB': 3 * 1024 * 1024 };

/**
 * How many "units" each size holds. A unit is one LLM provider, one embedding provider, one
 * vector store, two tools and two agents (~1.9 KB of YAML); the 3 KB config is the named core
 * items only. Calibrated so the YAML lands near the nominal size (the smoke test checks ±25%).
 */
const UNITS: Readonly<Record<Size, number>> = { '3KB': 0, '100KB': 52, '3MB': 1625 };

/**
 * The 10 overrides, identical at every size. Five address list items by name (only a library
 * that merges lists by `name` can express them); five address plain keys. Values differ from
 * the fixture's so the smoke test can see each one land.
 */
export const ENV_OVERRIDES: Readonly<Record<string, string>> = Object.freeze({
  CONFSTACK_SERVER__PORT: '9090',
  CONFSTACK_SERVER__HOST: '127.0.0.1',
  CONFSTACK_SERVER__REQUEST_TIMEOUT_MS: '45000',
  CONFSTACK_LOGGING__LEVEL: 'debug',
  CONFSTACK_APP__ENVIRONMENT: 'production',
  CONFSTACK_LLM_PROVIDERS__OPENAI__MODEL_NAME: 'gpt-4o',
  CONFSTACK_LLM_PROVIDERS__ANTHROPIC__DEFAULT_CALL_OPTIONS__TEMPERATURE: '0.1',
  CONFSTACK_AGENTS__RESEARCHER__MAX_ITERATIONS: '25',
  CONFSTACK_TOOLS__WEB_SEARCH__ENABLED: 'false',
  CONFSTACK_VECTOR_STORES__DOCS__PROVIDER: 'qdrant',
});

/** One override in structured form, for contestants that apply them by hand. */
export interface Override {
  readonly env: string;
  /** Path from the root; a `{ name }` segment selects the list item with that name. */
  readonly path: ReadonlyArray<string | { readonly name: string }>;
  /** The value already coerced to the type the fixture has there. */
  readonly value: string | number | boolean;
}

/** ENV_OVERRIDES with their paths and typed values (what a correct loader must produce). */
export const OVERRIDES: readonly Override[] = Object.freeze([
  { env: 'CONFSTACK_SERVER__PORT', path: ['server', 'port'], value: 9090 },
  { env: 'CONFSTACK_SERVER__HOST', path: ['server', 'host'], value: '127.0.0.1' },
  { env: 'CONFSTACK_SERVER__REQUEST_TIMEOUT_MS', path: ['server', 'request_timeout_ms'], value: 45000 },
  { env: 'CONFSTACK_LOGGING__LEVEL', path: ['logging', 'level'], value: 'debug' },
  { env: 'CONFSTACK_APP__ENVIRONMENT', path: ['app', 'environment'], value: 'production' },
  { env: 'CONFSTACK_LLM_PROVIDERS__OPENAI__MODEL_NAME', path: ['llm_providers', { name: 'openai' }, 'model_name'], value: 'gpt-4o' },
  {
    env: 'CONFSTACK_LLM_PROVIDERS__ANTHROPIC__DEFAULT_CALL_OPTIONS__TEMPERATURE',
    path: ['llm_providers', { name: 'anthropic' }, 'default_call_options', 'temperature'],
    value: 0.1,
  },
  { env: 'CONFSTACK_AGENTS__RESEARCHER__MAX_ITERATIONS', path: ['agents', { name: 'researcher' }, 'max_iterations'], value: 25 },
  { env: 'CONFSTACK_TOOLS__WEB_SEARCH__ENABLED', path: ['tools', { name: 'web_search' }, 'enabled'], value: false },
  { env: 'CONFSTACK_VECTOR_STORES__DOCS__PROVIDER', path: ['vector_stores', { name: 'docs' }, 'provider'], value: 'qdrant' },
]);

/** Overrides on plain keys: the ones a library without by-name list addressing can express. */
export const PLAIN_OVERRIDES: readonly Override[] = OVERRIDES.filter((o) => o.path.every((s) => typeof s === 'string'));

const LLM_KINDS = ['openai', 'anthropic', 'ollama', 'mistral', 'bedrock'] as const;
const TOOL_KINDS = ['tavily', 'builtin', 'http', 'python', 'sql'] as const;
const STORE_KINDS = ['pgvector', 'pinecone', 'qdrant', 'weaviate', 'inmemory'] as const;

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

function llmProvider(name: string, i: number): Record<string, unknown> {
  const kind = pick(LLM_KINDS, i);
  return {
    name,
    provider: kind,
    model_name: `${kind}-model-${i % 7}`,
    api_key: `sk-bench-${String(i).padStart(6, '0')}`,
    base_url: `https://api-${i % 3}.${kind}.example.com/v1`,
    default_call_options: { temperature: (2 + (i % 5)) / 10, max_tokens: 512 + (i % 8) * 128, top_p: 0.9 },
    provider_specific: { organization: `org-${i % 11}`, timeout_ms: 30000, retries: 2 + (i % 3) },
  };
}

function embeddingProvider(name: string, i: number): Record<string, unknown> {
  return {
    name,
    provider: pick(LLM_KINDS, i),
    model_name: `text-embedding-${i % 4}`,
    api_key: `sk-embed-${String(i).padStart(6, '0')}`,
    provider_specific: { dimensions: 768 + (i % 3) * 256, batch_size: 64 },
  };
}

function vectorStore(name: string, i: number): Record<string, unknown> {
  return {
    name,
    provider: pick(STORE_KINDS, i),
    connection_string: `postgres://app:bench-${i}@db-${i % 4}.internal:5432/vectors`,
    provider_specific: { collection: `${name}_chunks`, distance: i % 2 === 0 ? 'cosine' : 'dot', shards: 1 + (i % 4) },
  };
}

function tool(name: string, i: number): Record<string, unknown> {
  return {
    name,
    provider: pick(TOOL_KINDS, i),
    description: `Tool ${name}: looks things up for an agent and returns a short structured answer`,
    enabled: true,
    config: { timeout_ms: 5000 + (i % 5) * 1000, max_results: 5 + (i % 10), cache: i % 2 === 0 },
  };
}

function agent(name: string, i: number, llm: string, tools: string[]): Record<string, unknown> {
  return {
    name,
    llm_provider_name: llm,
    tool_names: tools,
    max_iterations: 5 + (i % 10),
    memory_type: i % 2 === 0 ? 'buffer' : 'summary',
    prompt_template: `You are agent ${name}. Answer precisely, cite the tools you used, and stop when the task is done.`,
    agent_type: i % 3 === 0 ? 'react' : 'plan_and_execute',
    settings: { verbose: i % 4 === 0, stream: true, retries: 1 + (i % 3) },
  };
}

/**
 * The configuration at `size`: valid against confstack's FrameworkConfigSchema (unique names,
 * every agent's llm_provider_name and tool_names refer to existing entries). The named items the
 * overrides address (`openai`, `anthropic`, `docs`, `web_search`, `researcher`) exist at every size.
 */
export function appConfig(size: Size): Record<string, unknown> {
  const units = UNITS[size];
  const llms = [llmProvider('openai', 0), llmProvider('anthropic', 1)];
  const embeddings = [embeddingProvider('embeddings', 0)];
  const stores = [vectorStore('docs', 0)];
  const tools = [tool('web_search', 0), tool('calculator', 1)];
  const agents = [agent('researcher', 0, 'openai', ['web_search', 'calculator']), agent('helper', 1, 'anthropic', ['calculator'])];
  for (let u = 0; u < units; u++) {
    const i = u + 2;
    const llm = `llm-${u}`;
    llms.push(llmProvider(llm, i));
    embeddings.push(embeddingProvider(`embed-${u}`, i));
    stores.push(vectorStore(`store-${u}`, i));
    tools.push(tool(`tool-${u}-a`, i), tool(`tool-${u}-b`, i + 1));
    agents.push(
      agent(`agent-${u}-a`, i, llm, [`tool-${u}-a`, `tool-${u}-b`, 'web_search']),
      agent(`agent-${u}-b`, i + 1, pick(['openai', 'anthropic', llm], u), [`tool-${u}-b`]),
    );
  }
  return {
    app: { name: 'bench-assistant', environment: 'development', version: '1.4.2' },
    server: { host: '0.0.0.0', port: 8080, request_timeout_ms: 30000, cors_origins: ['https://app.example.com'] },
    logging: { level: 'info', format: 'json' },
    telemetry: { service_name: 'bench-assistant', otlp_endpoint: 'http://otel-collector:4318', sample_ratio: 0.25 },
    features: { rag: true, streaming: true, moderation: false, max_upload_mb: 20, rate_limit_per_minute: 600 },
    llm_providers: llms,
    embedding_providers: embeddings,
    vector_stores: stores,
    tools,
    agents,
  };
}

export function serialize(value: Record<string, unknown>, format: Format): string {
  switch (format) {
    case 'yaml':
      return jsYaml.dump(value, { lineWidth: -1, noRefs: true });
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'toml':
      return `${tomlStringify(value)}\n`;
  }
}

export interface FixtureFile {
  readonly path: string;
  readonly bytes: number;
}

export type FixtureFiles = Readonly<Record<Size, Readonly<Record<Format, FixtureFile>>>>;

/** Writes `<dir>/<size>/config.<ext>` for every size and format (one directory per size, so a loader searching by name finds one file). */
export async function writeFixtures(dir: string): Promise<FixtureFiles> {
  const out = {} as Record<Size, Record<Format, FixtureFile>>;
  for (const size of SIZES) {
    const value = appConfig(size);
    const sizeDir = join(dir, size);
    mkdirSync(sizeDir, { recursive: true });
    out[size] = {} as Record<Format, FixtureFile>;
    for (const format of FORMATS) {
      const path = fixturePath(dir, size, format);
      writeFileSync(path, serialize(value, format));
      out[size][format] = { path, bytes: statSync(path).size };
    }
  }
  return out;
}

/** Where writeFixtures puts one size and format under `dir`. */
export function fixturePath(dir: string, size: Size, format: Format): string {
  return join(dir, size, `config.${format}`);
}
