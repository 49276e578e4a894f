/**
 * `confstack/schema`: the framework configuration's zod schemas, inferred types and JSON Schema:
 * the one definition of the framework schema. The only module tree in confstack that imports
 * zod, loaded only when asked for (`loadFrameworkSchema()`, users' own imports, the generator).
 * Loads validate with the zod-free frameworkPreset, whose checker scripts/gen-framework-check.ts
 * generates from these schemas; cross-fields.ts and defaults.ts are shared by both.
 */
export { LLMProviderConfigSchema, CallOptionsSchema } from './llm.js';
export type { LLMProviderConfig, LLMProviderConfigInput } from './llm.js';
export { EmbeddingProviderConfigSchema } from './embedding.js';
export type { EmbeddingProviderConfig, EmbeddingProviderConfigInput } from './embedding.js';
export { VectorStoreConfigSchema } from './vector-store.js';
export type { VectorStoreConfig, VectorStoreConfigInput } from './vector-store.js';
export { ToolConfigSchema } from './tool.js';
export type { ToolConfig, ToolConfigInput } from './tool.js';
export { AgentConfigSchema } from './agent.js';
export type { AgentConfig, AgentConfigInput } from './agent.js';
export { FrameworkConfigSchema, FrameworkIssueCode } from './framework.js';
export type { FrameworkConfig, FrameworkConfigInput } from './framework.js';
export { frameworkJsonSchema } from './json-schema.js';
export { FRAMEWORK_DEFAULTS, FRAMEWORK_LISTS, applyFrameworkDefaults } from './defaults.js';
export type { FrameworkListKey } from './defaults.js';
