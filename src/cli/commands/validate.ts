/** `confstack validate`: load and validate; exit 1 with every issue located (see output.ts). */
import type { CommandContext } from '../context.js';
import { loadSnapshot } from '../context.js';
import { describeSources } from '../output.js';

/** Runs `validate`. */
export async function runValidate(ctx: CommandContext): Promise<number> {
  const config = await loadSnapshot({ ...ctx, options: { ...ctx.options, validate: true } });
  const sources = config.sources();
  if (ctx.global.json) {
    ctx.io.out(`${JSON.stringify({ valid: true, sources: sources.map((s) => ({ name: s.name, type: s.type, status: s.status })) })}\n`);
    return 0;
  }
  ctx.io.out(`configuration is valid (${sources.length} sources, highest priority first)\n`);
  for (const line of describeSources(sources)) ctx.io.out(`  ${line}\n`);
  return 0;
}
