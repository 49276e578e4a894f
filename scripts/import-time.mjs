/**
 * `node scripts/import-time.mjs [--runs N] [--node BIN] [ENTRY…]`: the cost of importing each ENTRY
 * (default `confstack`; a path to another build's index.js compares builds) over `node -e 0`, in
 * fresh processes spawned round-robin from the repository root (so `confstack` resolves to
 * dist/). A quick check for build changes; `npm run bench` has the full table.
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

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  ...entries.map((e) => {
    const specifier = /^[./]|\.m?js$/.test(e) ? pathToFileURL(resolve(e)).href : e;
    return { name: `import('${e}')`, args: ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`] };
  }),
];

/** Wall time of one child, in ms. */
function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(node, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const samples = cases.map(() => []);
for (let i = 0; i < 3; i++) for (const c of cases) time(c.args);
for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(time(c.args)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [base, ...imported] = samples.map(median);
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`${version}, ${runs} runs each, medians: node -e 0 ${base.toFixed(1)} ms`);
imported.forEach((ms, i) => console.log(`  ${cases[i + 1].name}: ${ms.toFixed(1)} ms (+${(ms - base).toFixed(1)} ms)`));
