/**
 * `confstack docs [--env]`: a Markdown reference of the active schema (every key, its type,
 * default, whether required or secret, the env variable that sets it), or a `.env.example`.
 * A schema without a JSON Schema gets a page with a note (exit 0): docs degrade, never crash.
 */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { standardPropsOf } from '../../foundation/standard-schema.js';
import type { CommandContext } from '../context.js';
import { activeJsonSchema, activeSchema } from '../context.js';
import { renderEnvExample, renderMarkdownReference } from '../reference.js';
import { effectiveEnvPrefix } from '../sources.js';

/** Runs `docs`. */
export async function runDocs(ctx: CommandContext): Promise<number> {
  const schema = activeSchema(ctx.project);
  if (schema === false) {
    throw new ConfigError({ op: 'docs', code: ErrorCode.InvalidConfig, message: 'the project file sets schema: false, so there is no schema to document', ...(ctx.project ? { location: { file: ctx.project.file } } : {}) });
  }
  const json = await activeJsonSchema(schema);
  const vendor = standardPropsOf(schema)?.vendor;
  const options = { envPrefix: effectiveEnvPrefix(ctx.global, ctx.project), ...(typeof vendor === 'string' ? { vendor } : {}) };
  if (json === undefined) ctx.io.err('confstack: note: the schema offers no JSON Schema; its keys cannot be listed\n');
  ctx.io.out(ctx.options.env ? renderEnvExample(json, options) : renderMarkdownReference(json, options));
  return 0;
}
