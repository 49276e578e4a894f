/**
 * JSON Schema (draft 2020-12) of the framework configuration, for editors (autocomplete in YAML
 * and JSON files) and for the CLI's `schema` command. Generated from the zod schema, never
 * written by hand, so the two cannot drift.
 */
import { z } from 'zod';
import { FrameworkConfigSchema } from './framework.js';

let cached: Record<string, unknown> | undefined;

/**
 * The framework configuration as a JSON Schema 2020-12 document (`$schema`, `title`), describing
 * what a config file may hold: keys with defaults are optional. Secret keys carry
 * `secret: true` and `writeOnly: true`. Returns a fresh copy each call (callers may mutate it).
 * @example
 * fs.writeFileSync('config.schema.json', JSON.stringify(frameworkJsonSchema(), null, 2))
 */
export function frameworkJsonSchema(): Record<string, unknown> {
  cached ??= {
    ...z.toJSONSchema(FrameworkConfigSchema, { target: 'draft-2020-12', io: 'input' }),
    title: 'confstack framework configuration',
    description: 'LLM providers, embedding providers, vector stores, tools and agents of an AI application.',
  };
  return structuredClone(cached);
}
