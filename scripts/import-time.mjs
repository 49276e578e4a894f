/**
 * `node scripts/import-time.mjs [--runs N] [--node BIN] [ENTRY…]`: the cost of importing each ENTRY
 * (default `confstack`; a path to another build's index.js compares builds) over `node -e 0`, in
 * fresh processes spawned round-robin from the repository root (so `confstack` resolves to
 * dist/). A quick check for build changes; `npm run bench` has the full table. A build put
 * elsewhere needs a package.json with `"type": "module"` above it, inside any node_modules/:
 * without one Node parses each file twice (as CommonJS first, then as ESM).
 *
 * Children run without NODE_EXTRA_CA_CERTS: where a machine sets it, every Node start reads and
 * parses the bundle (~38 ms here), a fixed cost that would hide the import's own.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opts, positionals } = parseArgs({ options: { runs: { type: 'string', default: '40' }, node: { type: 'string', default: process.execPath } }, allowPositionals: true });
const runs = Number(opts.runs);
const node = opts.node;
const entries = positionals.length > 0 ? positionals : ['confstack'];
const { NODE_EXTRA_CA_CERTS: _machineCerts, ...env } = process.env;

// Each child reports the CPU time it used (all its threads): on a busy machine that moves far
// less than wall time, which counts the waits for a core too.
const REPORT = 'process.stdout.write(JSON.stringify(process.cpuUsage()))';
const cases = [
  { name: 'node -e 0', args: ['-e', REPORT] },
  ...entries.map((e) => {
    const specifier = /^[./]|\.m?js$/.test(e) ? pathToFileURL(resolve(e)).href : e;
    return { name: `import('${e}')`, args: ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)}); ${REPORT}`] };
  }),
];

/** Wall and CPU time of one child, in ms. */
function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(node, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = JSON.parse(r.stdout);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const samples = cases.map(() => []);
for (let i = 0; i < 3; i++) for (const c of cases) time(c.args);
for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(time(c.args)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [base, ...imported] = samples.map((xs) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) }));
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`${version}, ${runs} runs each, medians: node -e 0 ${ms(base.wall)} wall, ${ms(base.cpu)} CPU`);
imported.forEach((t, i) =>
  console.log(`  ${cases[i + 1].name}: ${ms(t.wall)} wall (+${ms(t.wall - base.wall)}), ${ms(t.cpu)} CPU (+${ms(t.cpu - base.cpu)})`),
);
