/** The agent entry (`agents[]`) of the framework configuration. */
import { z } from 'zod';
import { freeForm, requiredString } from './common.js';
import { FRAMEWORK_DEFAULTS } from './defaults.js';

/**
 * One agent: `name` and `llm_provider_name` required; `max_iterations` an integer ≥ 1
 * (default 10); the rest optional. That `llm_provider_name` and `tool_names` name existing
 * entries is checked by FrameworkConfigSchema, which sees the whole configuration.
 */
export const AgentConfigSchema = z.looseObject({
  name: requiredString().describe('Unique name of this agent'),
  llm_provider_name: requiredString().describe('Name of an entry in llm_providers'),
  llm_provider_config_name: z.string().optional(),
  tool_names: z.array(requiredString()).optional().describe('Names of entries in tools'),
  memory_provider_name: z.string().optional(),
  memory_type: z.string().optional(),
  memory_config_name: z.string().optional(),
  max_iterations: z.int().min(1).default(FRAMEWORK_DEFAULTS.maxIterations),
  settings: freeForm().optional(),
  prompt_template: z.string().optional(),
  output_parser: z.string().optional(),
  agent_type: z.string().optional(),
  agent_specific_config: freeForm().optional(),
});

/** A validated agent configuration (defaults applied). */
export type AgentConfig = z.output<typeof AgentConfigSchema>;
/** What a config file may hold for an agent. */
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
