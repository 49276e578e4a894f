/** `confstack providers`: the registered provider types with their metadata. */
import { getProviderMetadata, listProviders } from '../../registry/index.js';
import type { CommandContext } from '../context.js';

/** Runs `providers`. */
export async function runProviders(ctx: CommandContext): Promise<number> {
  const all = listProviders().map((name) => ({ ...getProviderMetadata(name), name }));
  if (ctx.global.json) {
    ctx.io.out(`${JSON.stringify(all, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(4, ...all.map((m) => m.name.length));
  const formats = (m: (typeof all)[number]) => m.supportedFormats.join(',') || '-';
  const fwidth = Math.max(7, ...all.map((m) => formats(m).length));
  ctx.io.out(`${'TYPE'.padEnd(width)}  ${'FORMATS'.padEnd(fwidth)}  CAPABILITIES\n`);
  for (const m of all) {
    ctx.io.out(`${m.name.padEnd(width)}  ${formats(m).padEnd(fwidth)}  ${m.capabilities.join(', ') || '-'}\n`);
    if (m.description) ctx.io.out(`${' '.repeat(width)}  ${m.description}\n`);
  }
  return 0;
}
