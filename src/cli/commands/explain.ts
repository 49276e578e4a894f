/**
 * `confstack explain <key>`: the value, the source that set it (file:line:col, env var, etcd
 * key, defaults), every layer that had a value there (`Config.explainAll`: its value, redacted,
 * and whether it won, was overridden or merged), plus the list of sources in priority order.
 */
import { describeOrigin } from '../../tree/origins.js';
import type { CommandContext } from '../context.js';
import { renderScalar } from '../output.js';
import { lookupKey } from './get.js';

/** Runs `explain`. */
export async function runExplain(ctx: CommandContext): Promise<number> {
  const { key, config, value } = await lookupKey(ctx);
  const origin = config.explain(key);
  // Every layer's value stays redacted, even with --show-secrets: only the result is revealed.
  const layers = config.explainAll(key);
  const silent = ctx.options.all ? config.sources().filter((s) => !layers.some((l) => l.source === s.name)) : [];
  if (ctx.global.json) {
    const out = {
      key,
      value,
      origin: origin ?? null,
      source: origin ? describeOrigin(origin) : null,
      layers: layers.map((l) => ({ ...l, at: describeOrigin(l.origin) })),
      ...(ctx.options.all ? { without: silent.map((s) => s.name) } : {}),
    };
    ctx.io.out(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const show = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : renderScalar(v));
  const lines = [`${key} = ${show(value)}`];
  lines.push(origin ? `  set by ${describeOrigin(origin)} (${origin.type} source "${origin.provider}")` : '  set by: unknown');
  if (layers.length > 0) {
    lines.push('  layers, highest priority first:');
    for (const l of layers) lines.push(`    ${l.role.padEnd(10)} ${show(l.value)}  from ${describeOrigin(l.origin)} (${l.source})`);
  }
  if (ctx.options.all) lines.push(`  sources without a value here: ${silent.length > 0 ? silent.map((s) => s.name).join(', ') : 'none'}`);
  lines.push('  sources, highest priority first:');
  for (const s of config.sources()) lines.push(`    ${s.name} (${s.status}${s.error ? `: ${s.error.code}` : ''})`);
  ctx.io.out(`${lines.join('\n')}\n`);
  return 0;
}
