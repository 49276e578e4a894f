// The floor as a process: readFileSync + js-yaml + the overrides by hand (+ zod unless --no-validate).
// Prints peak RSS (bytes) when --rss is given. Run by bench/cases/process.ts.
import { readFileSync } from 'node:fs';
import jsYaml from 'js-yaml';

const [file, ...flags] = process.argv.slice(2);
const overrides = JSON.parse(process.env.BENCH_OVERRIDES ?? '[]');
const value = jsYaml.load(readFileSync(file, 'utf8'));
for (const o of overrides) {
  const raw = process.env[o.env];
  if (raw === undefined) continue;
  let node = value;
  for (const seg of o.path.slice(0, -1)) {
    node = typeof seg === 'string' ? node?.[seg] : node?.find?.((item) => item?.name === seg.name);
  }
  if (node === null || typeof node !== 'object') continue;
  const key = o.path[o.path.length - 1];
  const old = node[key];
  node[key] = typeof old === 'number' ? Number(raw) : typeof old === 'boolean' ? raw === 'true' : raw;
}
if (!flags.includes('--no-validate')) {
  const { FrameworkConfigSchema } = await import('confstack/schema');
  const result = FrameworkConfigSchema.safeParse(value);
  if (!result.success) {
    console.error(result.error.message);
    process.exit(1);
  }
}
if (flags.includes('--rss')) console.log(process.resourceUsage().maxRSS * 1024);
