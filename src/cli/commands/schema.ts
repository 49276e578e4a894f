/** `confstack schema`: the framework JSON Schema, for editors (`# yaml-language-server: $schema=…`). */
import type { CommandContext } from '../context.js';

/** Runs `schema`. */
export async function runSchema(ctx: CommandContext): Promise<number> {
  const { frameworkJsonSchema } = await import('../../presets/framework/schema.js');
  ctx.io.out(`${JSON.stringify(frameworkJsonSchema(), null, 2)}\n`);
  return 0;
}
