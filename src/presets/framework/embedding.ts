/** The embedding provider entry (`embedding_providers[]`) of the framework configuration. */
import { z } from 'zod';
import { freeForm, httpUrl, requiredString, secretString } from './common.js';

/**
 * One embedding provider instance: `name`, `provider`, `model_name` and `api_key` (secret)
 * required; `base_url`, `provider_specific` optional. Unknown keys are kept.
 */
export const EmbeddingProviderConfigSchema = z.looseObject({
  name: requiredString().describe('Unique name of this embedding provider configuration'),
  provider: requiredString(),
  model_name: requiredString(),
  api_key: secretString(),
  base_url: httpUrl().optional(),
  provider_specific: freeForm().optional(),
});

/** A validated embedding provider configuration. */
export type EmbeddingProviderConfig = z.output<typeof EmbeddingProviderConfigSchema>;
/** What a config file may hold for an embedding provider. */
export type EmbeddingProviderConfigInput = z.input<typeof EmbeddingProviderConfigSchema>;
