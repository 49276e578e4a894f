/**
 * confstack/testing: helpers for tests of code that uses confstack (and confstack's own tests).
 * Imports the core only through its public entry (../index.js), like any consumer.
 */
export { mockProvider } from './mock-provider.js';
export type { MockProvider, MockProviderCalls, MockProviderOptions } from './mock-provider.js';
export { mockConfig } from './mock-config.js';
export type {
  MockAgent,
  MockConfigBuilder,
  MockEmbeddingProvider,
  MockFrameworkConfig,
  MockLLMProvider,
  MockTool,
  MockVectorStore,
} from './mock-config.js';
export { withEnv } from './env.js';
export { tempConfigDir } from './temp-dir.js';
export type { TempConfigDir } from './temp-dir.js';
export { createTestTelemetry } from './telemetry.js';
export type { CollectedMetric, CollectedPoint, TestTelemetry } from './telemetry.js';
// The vitest-based provider contract suite is `confstack/testing/contract` (./contract.ts), so
// that importing this entry never requires vitest (jest or node:test users import it too).
