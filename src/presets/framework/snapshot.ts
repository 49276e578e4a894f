/**
 * The framework configuration's snapshot: a Config with the framework accessors
 * (`getLLMProviderConfig(name)`, `getAgentsConfig()`…). Loads validated by the framework preset
 * (or `withFramework(AppSchema)`) return it, through the schema's `~confstack.snapshot`.
 */
import { Config } from '../../core/config.js';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import type { AgentConfig } from './agent.js';
import type { EmbeddingProviderConfig } from './embedding.js';
import type { FrameworkConfig } from './framework.js';
import type { LLMProviderConfig } from './llm.js';
import type { ToolConfig } from './tool.js';
import type { VectorStoreConfig } from './vector-store.js';

/**
 * A framework configuration snapshot: every Config method plus the named-list accessors.
 * `T` is the whole value's type (the framework's keys, and an app's own with withFramework).
 */
export class FrameworkSnapshot<T extends FrameworkConfig = FrameworkConfig> extends Config<T> {
  #list<I>(key: string): I[] {
    const v = (this.value as Record<string, unknown>)[key];
    return Array.isArray(v) ? (v as I[]) : [];
  }

  #named<I extends { name: string }>(key: string, what: string, name: string): I {
    const found = this.#list<I>(key).find((item) => item.name === name);
    if (!found) {
      throw new ConfigError({ op: 'get', code: ErrorCode.ConfigNotFound, message: `no ${what} named "${name}"`, location: { key }, context: { name } });
    }
    return found;
  }

  /** @throws ConfigError config_not_found */
  getLLMProviderConfig(name: string): LLMProviderConfig {
    return this.#named('llm_providers', 'LLM provider', name);
  }
  getLLMProvidersConfig(): LLMProviderConfig[] {
    return this.#list('llm_providers');
  }
  getEmbeddingProvidersConfig(): EmbeddingProviderConfig[] {
    return this.#list('embedding_providers');
  }
  getVectorStoresConfig(): VectorStoreConfig[] {
    return this.#list('vector_stores');
  }
  /** @throws ConfigError config_not_found */
  getAgentConfig(name: string): AgentConfig {
    return this.#named('agents', 'agent', name);
  }
  getAgentsConfig(): AgentConfig[] {
    return this.#list('agents');
  }
  /** @throws ConfigError config_not_found */
  getToolConfig(name: string): ToolConfig {
    return this.#named('tools', 'tool', name);
  }
  getToolsConfig(): ToolConfig[] {
    return this.#list('tools');
  }
}
