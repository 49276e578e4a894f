/** The tool entry (`tools[]`) of the framework configuration. */
import { z } from 'zod';
import { freeForm, requiredString } from './common.js';
import { FRAMEWORK_DEFAULTS } from './defaults.js';

/**
 * One tool: `name` and `provider` required; `description`, `enabled` (default true) and the
 * free-form `config` optional. Unknown keys are kept.
 */
export const ToolConfigSchema = z.looseObject({
  name: requiredString().describe('Unique name of this tool; agents refer to it in tool_names'),
  provider: requiredString(),
  description: z.string().optional(),
  enabled: z.boolean().default(FRAMEWORK_DEFAULTS.toolEnabled),
  config: freeForm().optional(),
});

/** A validated tool configuration (defaults applied). */
export type ToolConfig = z.output<typeof ToolConfigSchema>;
/** What a config file may hold for a tool. */
export type ToolConfigInput = z.input<typeof ToolConfigSchema>;
