/**
 * `confstack print [--format yaml|json] [--sources] [--show-secrets]`: the merged configuration,
 * redacted by default, optionally annotated with the source of every value.
 */
import type { CommandContext } from '../context.js';
import { loadSnapshot, warnIfRevealing } from '../context.js';
import { describeSources, sourcesJson } from '../output.js';
import { renderValue, renderYamlWithSources } from '../render.js';

/** Runs `print`. */
export async function runPrint(ctx: CommandContext): Promise<number> {
  const reveal = warnIfRevealing(ctx);
  const config = await loadSnapshot(ctx);
  const tree = config.toObject({ redact: !reveal });
  const format = ctx.options.format ?? (ctx.global.json ? 'json' : 'yaml');
  const originOf = (path: string) => config.explain(path);
  if (!ctx.options.sources) {
    ctx.io.out(renderValue(tree, format));
    return 0;
  }
  if (format === 'json') {
    ctx.io.out(renderValue(sourcesJson(tree, originOf, config.sources()), 'json'));
    return 0;
  }
  const header = ['# sources, highest priority first:', ...describeSources(config.sources()).map((l) => `#   ${l}`)];
  ctx.io.out(`${header.join('\n')}\n${renderYamlWithSources(tree, originOf)}`);
  return 0;
}
