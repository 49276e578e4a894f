/**
 * `npm run bench`: generates the fixtures, runs the cases one after another and writes
 * docs/bench/results.md, results.json and chart.svg.
 *
 * Each case runs in a plain `node` child of its own, bundled by rolldown (dependencies external,
 * so `confstack` resolves to dist/). Why: under tsx's loader hooks every dynamic `import()` makes
 * a round trip to the hooks, which is not what a service running `node` pays (measured: a 3 KB
 * YAML load 0.18 ms under node, 0.47 ms under tsx); and a case should not inherit the heap and
 * JIT state the previous one left behind.
 *
 *   BENCH_QUICK=1          few samples, a smoke run; writes to a temp directory unless BENCH_OUT is set
 *   BENCH_ONLY=load,process  run only these cases; sections from earlier runs stay in results.json
 *   BENCH_OUT=dir          where to write (default docs/bench)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { writeFixtures } from './fixtures.js';
import { renderBarChart, renderMarkdown, type Machine, type Results, type StoredSection } from './lib/render.js';
import type { Section } from './lib/types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
/** In run order. */
const CASES = ['load', 'process', 'validation', 'registry', 'observability', 'reload', 'etcd-cluster', 'explorer'] as const;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Inside the repository (git-ignored), so the bundle's bare imports resolve from its node_modules. */
const BUILD_DIR = join(ROOT, '.bench-fixtures', 'build');

/** Bundles bench/cases/<id>.ts with a small entry that runs it and writes its Section as JSON. */
async function bundleCase(id: string, file: string): Promise<string> {
  const outfile = join(BUILD_DIR, `${id}.mjs`);
  const entry = [
    `import { writeFileSync } from 'node:fs';`,
    `import { run } from ${JSON.stringify(file)};`,
    `const section = await run({`,
    `  fixturesDir: process.env.BENCH_FIXTURES,`,
    `  quick: process.env.BENCH_QUICK === '1',`,
    `  log: (m) => process.stderr.write(m + '\\n'),`,
    `});`,
    `writeFileSync(process.env.BENCH_RESULT, JSON.stringify(section));`,
  ].join('\n');
  const entryFile = join(BUILD_DIR, `${id}-entry.ts`);
  mkdirSync(BUILD_DIR, { recursive: true }); // a fresh clone has none yet
  writeFileSync(entryFile, entry);
  const bundle = await rolldown({
    input: entryFile,
    platform: 'node',
    // Packages stay external: each case imports confstack's dist/ and the peers as users do.
    external: (source) => !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('\0'),
    logLevel: 'warn',
  });
  await bundle.write({ file: outfile, format: 'esm', codeSplitting: false });
  await bundle.close();
  return outfile;
}

/** Runs one bundled case in a plain node child; its progress lines pass through to stderr. */
function runCase(bundle: string, fixturesDir: string, quick: boolean): Section {
  const result = join(fixturesDir, `result-${Date.now()}.json`);
  const child = spawnSync(process.execPath, [bundle], {
    cwd: ROOT,
    env: { ...process.env, BENCH_FIXTURES: fixturesDir, BENCH_QUICK: quick ? '1' : '0', BENCH_RESULT: result },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`exited ${child.status ?? child.signal}`);
  return JSON.parse(readFileSync(result, 'utf8')) as Section;
}

function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
  };
}

function readPrevious(path: string): StoredSection[] {
  if (!existsSync(path)) return [];
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as Results).sections.slice();
  } catch {
    log(`bench: ignoring unreadable ${path}`);
    return [];
  }
}

async function main(): Promise<number> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !(CASES as readonly string[]).includes(id)) ?? [];
  if (unknown.length > 0) {
    log(`bench: unknown case(s) in BENCH_ONLY: ${unknown.join(', ')} (known: ${CASES.join(', ')})`);
    return 2;
  }
  const out = process.env.BENCH_OUT ?? (quick ? mkdtempSync(join(tmpdir(), 'confstack-bench-quick-')) : join(ROOT, 'docs', 'bench'));
  const fixturesDir = mkdtempSync(join(tmpdir(), 'confstack-bench-'));
  const started = performance.now();
  let failed = 0;
  try {
    log(`bench: fixtures in ${fixturesDir}${quick ? ' (quick)' : ''}`);
    const files = await writeFixtures(fixturesDir);
    log(`bench: yaml sizes ${Object.entries(files).map(([s, f]) => `${s}=${f.yaml.bytes} B`).join(', ')}`);
    const date = new Date().toISOString();
    const host = machine();
    const fresh: StoredSection[] = [];
    for (const id of CASES) {
      if (only && !only.includes(id)) continue;
      const file = join(HERE, 'cases', `${id}.ts`);
      if (!existsSync(file)) {
        log(`bench: skipping ${id}: bench/cases/${id}.ts does not exist`);
        continue;
      }
      const t0 = performance.now();
      try {
        fresh.push({ date, machine: host, section: runCase(await bundleCase(id, file), fixturesDir, quick) });
        log(`bench: ${id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failed++;
        log(`bench: ${id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }

    // A partial run keeps the other sections of the last run, in case order.
    const previous = only ? readPrevious(join(out, 'results.json')) : [];
    const byId = new Map(previous.map((s) => [s.section.id, s]));
    for (const s of fresh) byId.set(s.section.id, s);
    const order = (id: string): number => {
      const i = (CASES as readonly string[]).indexOf(id);
      return i < 0 ? CASES.length : i;
    };
    const results: Results = { sections: [...byId.values()].sort((a, b) => order(a.section.id) - order(b.section.id)) };

    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, 'results.md'), renderMarkdown(results));
    const load = results.sections.find((s) => s.section.id === 'load')?.section;
    if (load) {
      const yaml = load.rows.filter((r) => r.group?.endsWith(' yaml'));
      const series = [...new Set(yaml.map((r) => r.name))];
      writeFileSync(
        join(out, 'chart.svg'),
        renderBarChart({
          title: 'Warm load of a YAML config + 10 env overrides, ratio to the floor + zod',
          groups: [...new Set(yaml.map((r) => r.group!.replace(/ yaml$/, '')))],
          series,
          value: (g, s) => yaml.find((r) => r.group === `${g} yaml` && r.name === s)?.ratio,
        }),
      );
    }
    for (const { section } of fresh) {
      for (const g of section.goals) log(`${g.met ? 'met   ' : 'MISSED'} ${g.goal}: ${g.measured}`);
    }
    log(`bench: wrote ${join(out, 'results.md')} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(fixturesDir, { recursive: true, force: true });
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
