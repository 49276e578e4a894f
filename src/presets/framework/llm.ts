/** The LLM provider entry (`llm_providers[]`) of the framework configuration. */
import { z } from 'zod';
import { freeForm, httpUrl, requiredString, secretString } from './common.js';
import { FRAMEWORK_DEFAULTS } from './defaults.js';

/**
 * Common call parameters an LLM provider uses unless a call overrides them. `temperature`
 * (finite number, default 0.7) and `max_tokens` (integer ≥ 1, default 1000) are filled in when
 * absent, including when the whole object is absent; other keys (`top_p`, `stop`…) are kept.
 */
export const CallOptionsSchema = z
  .looseObject({
    temperature: z.number().default(FRAMEWORK_DEFAULTS.temperature),
    max_tokens: z.int().min(1).default(FRAMEWORK_DEFAULTS.maxTokens),
  })
  .prefault({});

/**
 * One LLM provider instance: `name`, `provider` and `model_name` required; `api_key` (secret),
 * `base_url` (http/https URL), `default_call_options`, `provider_specific` optional.
 * Unknown keys are kept.
 * @example
 * LLMProviderConfigSchema.parse({ name: 'openai', provider: 'openai', model_name: 'gpt-4o' })
 */
export const LLMProviderConfigSchema = z.looseObject({
  name: requiredString().describe('Unique name of this LLM provider configuration'),
  provider: requiredString().describe('Provider type, e.g. openai, anthropic, ollama'),
  model_name: requiredString().describe('Model to use, e.g. gpt-4o'),
  api_key: secretString().optional(),
  base_url: httpUrl().optional(),
  default_call_options: CallOptionsSchema,
  provider_specific: freeForm().optional(),
});

/** A validated LLM provider configuration (defaults applied). */
export type LLMProviderConfig = z.output<typeof LLMProviderConfigSchema>;
/** What a config file may hold for an LLM provider (defaulted keys optional). */
export type LLMProviderConfigInput = z.input<typeof LLMProviderConfigSchema>;
