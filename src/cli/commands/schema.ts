/**
 * `confstack schema`: the JSON Schema of the active schema (the project's, else the framework's),
 * for editors (`# yaml-language-server: $schema=…`). A schema that offers none: exit 1 with a note.
 */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { standardPropsOf } from '../../foundation/standard-schema.js';
import type { CommandContext } from '../context.js';
import { activeJsonSchema, activeSchema } from '../context.js';

/** Runs `schema`. */
export async function runSchema(ctx: CommandContext): Promise<number> {
  const schema = activeSchema(ctx.project);
  if (schema === false) {
    throw new ConfigError({ op: 'schema', code: ErrorCode.InvalidConfig, message: 'the project file sets schema: false, so there is no schema to print', ...(ctx.project ? { location: { file: ctx.project.file } } : {}) });
  }
  const json = await activeJsonSchema(schema);
  if (json === undefined) {
    const vendor = standardPropsOf(schema)?.vendor;
    throw new ConfigError({
      op: 'schema',
      code: ErrorCode.InvalidConfig,
      message: `the schema${typeof vendor === 'string' ? ` (${vendor})` : ''} offers no JSON Schema (~standard.jsonSchema); for valibot wrap it with @valibot/to-json-schema's toStandardJsonSchema`,
      ...(ctx.project ? { location: { file: ctx.project.file } } : {}),
    });
  }
  ctx.io.out(`${JSON.stringify(json, null, 2)}\n`);
  return 0;
}
