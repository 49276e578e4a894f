/**
 * `confstack explain <key>`: the value and the source that set it (file:line:col, env var, etcd
 * key, defaults), plus the list of sources in priority order.
 */
import { describeOrigin } from '../../tree/origins.js';
import type { CommandContext } from '../context.js';
import { loadSnapshot, warnIfRevealing } from '../context.js';
import { renderScalar } from '../output.js';
import { keySegments, valueAt } from './get.js';

/** Runs `explain`. */
export async function runExplain(ctx: CommandContext): Promise<number> {
  const key = ctx.args[0] ?? '';
  keySegments(key);
  const reveal = warnIfRevealing(ctx);
  const config = await loadSnapshot(ctx);
  const value = valueAt(config.toObject({ redact: !reveal }), key);
  const origin = config.explain(key);
  if (ctx.global.json) {
    ctx.io.out(`${JSON.stringify({ key, value, origin: origin ?? null, source: origin ? describeOrigin(origin) : null })}\n`);
    return 0;
  }
  const lines = [`${key} = ${value !== null && typeof value === 'object' ? JSON.stringify(value) : renderScalar(value)}`];
  lines.push(origin ? `  set by ${describeOrigin(origin)} (${origin.type} source "${origin.provider}")` : '  set by: unknown');
  lines.push('  sources, highest priority first:');
  for (const s of config.sources()) lines.push(`    ${s.name} (${s.status}${s.error ? `: ${s.error.code}` : ''})`);
  ctx.io.out(`${lines.join('\n')}\n`);
  return 0;
}
