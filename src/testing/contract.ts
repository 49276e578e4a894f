/**
 * confstack/testing/contract: the Provider contract suite for provider authors. Its own entry
 * because it imports vitest (an optional peer dependency); confstack/testing does not.
 */
export { describeProviderContract } from './provider-contract.js';
export type { ProviderContractFactory, ProviderContractOptions, ProviderContractSubject } from './provider-contract.js';
