/**
 * `confstack watch`: keeps the sources watched and prints every applied change (changed keys,
 * old → new, redacted) and every rejected reload, until SIGINT (exit 0).
 */
import { watchConfig } from '../../core/watch.js';
import { getAtKey } from '../../tree/path.js';
import { untilAborted, type CommandContext } from '../context.js';
import { formatChange, formatCliError } from '../output.js';
import { buildLoadOptions, closeSources } from '../sources.js';

/** Runs `watch`; resolves when `ctx.signal` aborts. */
export async function runWatch(ctx: CommandContext): Promise<number> {
  const opts = await buildLoadOptions(ctx.global, {}, ctx.project);
  const live = await watchConfig(opts);
  const json = ctx.global.json;
  try {
    const names = live.current().sources().map((s) => s.name);
    if (json) ctx.io.out(`${JSON.stringify({ event: 'loaded', sources: names })}\n`);
    else ctx.io.err(`confstack: watching ${names.join(', ')} (Ctrl-C to stop)\n`);
    live.on('change', (next, prev, changedKeys) => {
      const before = prev.toObject({ redact: true });
      const after = next.toObject({ redact: true });
      const changes = changedKeys.map((key) => ({ key, old: getAtKey(before, key) ?? null, new: getAtKey(after, key) ?? null }));
      if (json) ctx.io.out(`${JSON.stringify({ event: 'change', at: new Date().toISOString(), changes })}\n`);
      else ctx.io.out(`[${new Date().toISOString()}] applied change (${changes.length} keys)\n${changes.map((c) => formatChange(c.key, c.old, c.new)).join('\n')}\n`);
    });
    live.on('reject', (err) => {
      if (json) ctx.io.out(`${JSON.stringify({ event: 'reject', at: new Date().toISOString(), error: err.toJSON() })}\n`);
      else ctx.io.out(`[${new Date().toISOString()}] rejected reload; keeping the last good config\n${formatCliError(err)}`);
    });
    await untilAborted(ctx.signal);
    return 0;
  } finally {
    await live.close();
    await closeSources(opts.sources);
  }
}
