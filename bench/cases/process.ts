/**
 * Whole-process costs: a cold `confstack validate` of the ~3 KB config, the import of
 * `confstack`, a first load of the ~3 KB config in a fresh process (confstack's default load and
 * the peers'), and peak RSS loading the ~3 MB config. Baselines are processes spawned in the
 * same run, round-robin with the contestants: `node -e 0`, and the floor (js-yaml + overrides by
 * hand + zod) as a script of its own (bench/children/floor.mjs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_OVERRIDES, fixturePath, OVERRIDES } from '../fixtures.js';
import { formatMs, formatRatio, sampleInterleaved, summarize } from '../lib/measure.js';
import type { BenchCase, Goal, Row } from '../lib/types.js';

/** The repository root: the nearest package.json named confstack (this file may run bundled elsewhere in the repo). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'confstack') return dir;
    if (dirname(dir) === dir) throw new Error(`no confstack package.json above ${from}`);
  }
}

const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
const CHILDREN = join(ROOT, 'bench', 'children');

/** The other Node versions scripts/ensure-node.sh unpacked (none before the first `npm test`). */
const OTHER_NODES: ReadonlyArray<{ version: string; bin: string }> = (() => {
  const cache = join(ROOT, 'node_modules', '.cache');
  if (!existsSync(cache)) return [];
  return readdirSync(cache)
    .flatMap((d) => {
      const major = /^node-(\d+)\./.exec(d)?.[1];
      return major === undefined ? [] : [{ version: major, bin: join(cache, d, 'bin', 'node') }];
    })
    .filter((n) => existsSync(n.bin))
    .sort((a, b) => Number(a.version) - Number(b.version));
})();

/**
 * The same environment for every child: the overrides, and the table the floor applies by hand.
 * Without NODE_EXTRA_CA_CERTS: where a machine sets it (this one does), every Node process reads
 * and parses the bundle at start (measured: `node -e 0` 58 ms with it, 20 ms without), a fixed
 * cost of the machine that would shrink every ratio here towards 1.
 */
const { NODE_EXTRA_CA_CERTS: _machineCerts, ...inherited } = process.env;
const CHILD_ENV: NodeJS.ProcessEnv = { ...inherited, ...ENV_OVERRIDES, BENCH_OVERRIDES: JSON.stringify(OVERRIDES) };

const CPU_REPORT = join(CHILDREN, 'cpu-report.cjs');

/** Runs `node <args>` (with the CPU report preloaded) and returns the CPU time it used, in ms. */
function nodeCpu(args: readonly string[], bin: string = process.execPath): number {
  const r = spawnSync(bin, ['--require', CPU_REPORT, ...args], { cwd: ROOT, env: CHILD_ENV, encoding: 'utf8' });
  const us = /BENCH_CPU_US (\d+)\s*$/.exec(r.stderr)?.[1];
  if (r.status !== 0 || us === undefined) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return Number(us) / 1000;
}

/** Runs `node <args>` from the repository root (so `confstack` resolves to dist/), returns stdout. */
function node(args: readonly string[], bin: string = process.execPath): string {
  const r = spawnSync(bin, args, { cwd: ROOT, env: CHILD_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return r.stdout;
}

function signedMs(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${formatMs(Math.abs(ms))}`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const run: BenchCase = async (ctx) => {
  const small = fixturePath(ctx.fixturesDir, '3KB', 'yaml');
  const large = fixturePath(ctx.fixturesDir, '3MB', 'yaml');
  const spawns = { warmup: ctx.quick ? 1 : 3, minSamples: ctx.quick ? 3 : 25, minTimeMs: 0 };
  // node-config reads a directory (default.yaml), named at import by NODE_CONFIG_DIR.
  const nodeConfigDir = join(ctx.fixturesDir, 'first-load', 'node-config');
  mkdirSync(nodeConfigDir, { recursive: true });
  copyFileSync(small, join(nodeConfigDir, 'default.yaml'));
  const firstLoad = (lib: string): string[] => [join(CHILDREN, 'first-load.mjs'), lib, small, nodeConfigDir];
  const PEERS = ['node-config', 'convict', 'c12', 'nconf'] as const;

  const contestants: ReadonlyArray<{ name: string; group: string; args: string[]; bin?: string; note?: string }> = [
    { name: 'node -e 0', group: 'cold start', args: ['-e', '0'] },
    { name: 'confstack validate', group: 'cold start', args: [join('dist', 'cli', 'main.js'), 'validate', '-c', small], note: 'the CLI: import, load file + env, framework schema, print the result' },
    { name: 'floor + zod (script)', group: 'cold start', args: [join(CHILDREN, 'floor.mjs'), small], note: 'js-yaml + overrides by hand + FrameworkConfigSchema.safeParse' },
    { name: "import('confstack')", group: 'cold start', args: ['--input-type=module', '-e', "await import('confstack')"], note: 'the import alone' },
    { name: 'node --input-type=module -e 0', group: 'cold start', args: ['--input-type=module', '-e', '0'], note: 'an empty ES module: what the ESM loader itself costs' },
    // The yardstick issue 12 set the import budget by: valibot measured ≈ 9 ms over node -e 0 then.
    // Its figure in the same run shows how far this machine's speed has drifted from that day's.
    { name: "import('valibot')", group: 'cold start', args: ['--input-type=module', '-e', "await import('valibot')"], note: 'a small validator (issue 12 measured ≈ 9 ms over node -e 0 when it set the 15 ms budget)' },
    { name: 'first load: confstack', group: 'first load, ~3 KB yaml', args: firstLoad('confstack'), note: 'import + default loadConfig (env + file, framework validation, provenance)' },
    ...PEERS.map((peer) => ({ name: `first load: ${peer}`, group: 'first load, ~3 KB yaml', args: firstLoad(peer), note: 'import + one load of the same file, no validation' })),
    // What users run: the Node 22 and 24 that `npm test` installs (scripts/ensure-node.sh), when present.
    ...OTHER_NODES.flatMap(({ version, bin }) => [
      { name: `node -e 0 (Node ${version})`, group: 'cold start, other Node versions', args: ['-e', '0'], bin },
      { name: `import('confstack') (Node ${version})`, group: 'cold start, other Node versions', args: ['--input-type=module', '-e', "await import('confstack')"], bin, note: 'the import alone' },
      { name: `first load: confstack (Node ${version})`, group: 'cold start, other Node versions', args: firstLoad('confstack'), bin, note: 'import + default loadConfig' },
      { name: `confstack validate (Node ${version})`, group: 'cold start, other Node versions', args: [join('dist', 'cli', 'main.js'), 'validate', '-c', small], bin, note: "the CLI, with Node's compile cache on (warm after the warm-up runs)" },
    ]),
  ];
  ctx.log(`process: cold start, ${spawns.minSamples} spawns each, interleaved`);
  // Each spawn is timed twice over: wall time by the sampler, CPU time by the child itself.
  const cpu: number[][] = contestants.map(() => []);
  const times = await sampleInterleaved(
    contestants.map((c, i) => () => cpu[i]!.push(nodeCpu(c.args, c.bin))),
    spawns,
  );
  const cpuMs = cpu.map((xs) => summarize(xs.slice(spawns.warmup)).median);
  const nodeMs = times[0]!.median;
  // Each row's ratio is against `node -e 0` of its own Node.
  const baseOf = (bin: string | undefined): number => times[contestants.findIndex((c) => c.bin === bin && c.args.length === 2 && c.args[1] === '0')]!.median;
  const rows: Row[] = contestants.map((c, i) => ({
    name: c.name,
    group: c.group,
    median: times[i]!.median,
    p99: times[i]!.p99,
    ratio: times[i]!.median / baseOf(c.bin),
    ...(c.note ? { note: c.note } : {}),
  }));

  // Peak RSS: each child prints process.resourceUsage().maxRSS after its load.
  ctx.log('process: peak RSS loading the ~3 MB config');
  const rssRuns = ctx.quick ? 1 : 5;
  const rssOf = (args: string[]): number => summarize(Array.from({ length: rssRuns }, () => Number(node(args).trim()))).median;
  const rss = [
    { name: 'node -e 0', args: ['-e', 'console.log(process.resourceUsage().maxRSS * 1024)'], note: 'an empty process' },
    { name: 'floor + zod (script)', args: [join(CHILDREN, 'floor.mjs'), large, '--rss'], note: 'js-yaml + overrides by hand + zod' },
    { name: 'confstack', args: [join(CHILDREN, 'confstack-rss.mjs'), large], note: 'loadConfig: file + env, framework schema, provenance' },
  ].map((c) => ({ ...c, bytes: rssOf(c.args) }));
  const floorRss = rss[1]!.bytes;
  for (const r of rss) rows.push({ name: r.name, group: 'peak RSS, ~3 MB yaml', bytes: r.bytes, ratio: r.bytes / floorRss, note: r.note });

  const validateMs = times[1]!.median;
  // The budgets are judged on CPU time (what the process itself spent; the machines are shared,
  // and wall time also counts the waits for a core), with the wall-time figures beside them.
  const cpuOver = (i: number, bin?: string): number => cpuMs[i]! - cpuMs[contestants.findIndex((c) => c.bin === bin && c.args.length === 2 && c.args[1] === '0')]!;
  const wallOver = (i: number): number => times[i]!.median - nodeMs;
  const at = (name: string): number => contestants.findIndex((c) => c.name === name);
  const IMPORT = at("import('confstack')");
  const ESM = at('node --input-type=module -e 0');
  const VALIBOT = at("import('valibot')");
  const FIRST = at('first load: confstack');
  const peerFirst = PEERS.map((peer) => `${peer} ${signedMs(cpuOver(at(`first load: ${peer}`)))}`).join(', ');
  const otherNodes = OTHER_NODES.map(({ version, bin }) =>
    `Node ${version}: import ${signedMs(cpuOver(at(`import('confstack') (Node ${version})`), bin))}, first load ${signedMs(cpuOver(at(`first load: confstack (Node ${version})`), bin))}`,
  );
  const YARDSTICK_MS = 9;
  const scaled = (budgetMs: number): number => (budgetMs * cpuOver(VALIBOT)) / YARDSTICK_MS;
  const goals: Goal[] = [
    {
      goal: 'importing confstack costs ≤ 15 ms over node -e 0 (CPU time)',
      measured:
        `${signedMs(cpuOver(IMPORT))} CPU (${formatMs(cpuMs[IMPORT]!)} vs ${formatMs(cpuMs[0]!)}), ${signedMs(wallOver(IMPORT))} wall; ` +
        `an empty ES module alone: ${signedMs(cpuOver(ESM))} CPU; the yardstick, import('valibot'): ${signedMs(cpuOver(VALIBOT))} CPU (≈ 9 ms when the budget was set)` +
        `${otherNodes.length > 0 ? `; ${otherNodes.join('; ')}` : ''}`,
      met: cpuOver(IMPORT) <= 15,
    },
    {
      goal: 'a first default load of ~3 KB in a fresh process (import + load + framework validation) ≤ 40 ms over node -e 0 (CPU time)',
      measured: `${signedMs(cpuOver(FIRST))} CPU (${formatMs(cpuMs[FIRST]!)} vs ${formatMs(cpuMs[0]!)}), ${signedMs(wallOver(FIRST))} wall; peers, same run, no validation, CPU: ${peerFirst}`,
      met: cpuOver(FIRST) <= 40,
    },
    // The same two budgets at this run's machine speed: scaled by how valibot's import compares
    // with the ≈ 9 ms issue 12 measured for it when it set them. The rows above stay the goals
    // as written; this one says whether a miss there is the code or the machine.
    {
      goal: "both budgets above scaled by the issue's yardstick (× valibot's import in this run / 9 ms)",
      measured:
        `scale ${(cpuOver(VALIBOT) / YARDSTICK_MS).toFixed(2)}: import ${signedMs(cpuOver(IMPORT))} vs ≤ ${formatMs(scaled(15))}, ` +
        `first load ${signedMs(cpuOver(FIRST))} vs ≤ ${formatMs(scaled(40))}`,
      met: cpuOver(IMPORT) <= scaled(15) && cpuOver(FIRST) <= scaled(40),
    },
    { goal: 'cold `confstack validate` of ~3 KB ≤ 1.6× node -e 0', measured: `${formatRatio(validateMs / nodeMs)} (${formatMs(validateMs)} vs ${formatMs(nodeMs)})`, met: validateMs / nodeMs <= 1.6 },
    { goal: 'peak RSS loading ~3 MB ≤ 1.5× the floor’s', measured: `${formatRatio(rss[2]!.bytes / floorRss)} (${mib(rss[2]!.bytes)} vs ${mib(floorRss)})`, met: rss[2]!.bytes / floorRss <= 1.5 },
  ];

  return {
    id: 'process',
    title: 'Process: cold start, import time, peak RSS',
    description:
      'Whole processes spawned from the repository root with the same 10 overrides in the environment, round-robin. Cold start ratio: against `node -e 0`; peak RSS ratio: against the floor script (js-yaml + overrides by hand + zod) loading the same ~3 MB file.',
    columns: ['median', 'p99', 'bytes', 'ratio', 'note'],
    rows,
    goals,
    notes: [
      `Cold start: ${spawns.minSamples} spawns of each after ${spawns.warmup} warm-up; the table shows the median wall time of spawnSync (process start to exit); the budgets use the median CPU time (user + system) each child reports at exit (bench/children/cpu-report.cjs, preloaded into every contestant alike).`,
      `Peak RSS: median of ${rssRuns} runs of process.resourceUsage().maxRSS, printed by the child after its load.`,
    ],
  };
};
