/**
 * Generates docs/RELIABILITY.md from the reliability campaign: runs the campaign's tests (fuzzing,
 * property tests, pollution matrix, bombs, concurrency, soak, plus the secret-canary and reload
 * tests), reads the figures they write to `.reliability/`, and renders the "Figures to report"
 * of the design's RELIABILITY.md that exist, with the upstream CVE/incident coverage table.
 *
 *   npx tsx scripts/reliability-report.ts            # build, run the campaign (PR-sized), write the doc
 *   FUZZ_RUNS=200000 SOAK_CYCLES=10000 npx tsx scripts/reliability-report.ts   # the long campaign
 *   npx tsx scripts/reliability-report.ts --no-run   # re-render from the last results
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../src/tree/limits.js';
import type { FuzzStats } from '../test/fuzz/harness.js';
import { renderEtcdSection } from './report-etcd.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = `${ROOT}.reliability/`;
const OUT = `${ROOT}docs/RELIABILITY.md`;

/** The campaign's own tests, and the tests by others whose results the report cites. */
const CAMPAIGN = ['test/fuzz', 'test/property', 'test/integration/pollution-matrix.test.ts', 'test/integration/concurrency.test.ts', 'test/integration/soak.test.ts'];
const CITED = [
  'test/integration/telemetry.test.ts',
  'test/formats/redaction.test.ts',
  'test/integration/reload-files.test.ts',
  'test/secrets.test.ts',
  'test/errors.test.ts',
  'test/validate.test.ts',
  'test/config.test.ts',
  'test/cli/main.test.ts',
  'test/conformance/conformance.test.ts',
];
/** The etcd fault campaign (a real 3-member cluster; ETCD_CAMPAIGN_SEEDS seeds per fault). */
const ETCD_CAMPAIGN = ['test/integration/etcd-cluster.test.ts'];

interface VitestAssertion {
  fullName: string;
  title: string;
  status: string;
  duration?: number;
}
interface VitestFile {
  name: string;
  assertionResults: VitestAssertion[];
}

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function readJson<T>(name: string): T | undefined {
  const p = `${RESULTS}${name}.json`;
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined;
}

const n = (x: number) => x.toLocaleString('en-US');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
const codes = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ') || '—';

// ---------------------------------------------------------------------------------------------

const noRun = process.argv.includes('--no-run');
let exitCode = 0;
if (!noRun) {
  // The pollution matrix spawns the built CLI.
  if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
  exitCode = run('npx', ['vitest', 'run', ...CAMPAIGN, ...CITED, ...ETCD_CAMPAIGN, '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}vitest.json`]);
}

const vitest = readJson<{ testResults: VitestFile[]; numPassedTests: number; numFailedTests: number; numPendingTests?: number; numTodoTests?: number; numTotalTests: number }>('vitest');
const testsIn = (file: string): VitestAssertion[] => vitest?.testResults.find((f) => f.name.endsWith(file))?.assertionResults ?? [];
/** A skipped test ran no assertion: it is never counted as passed, nor hidden in the total. */
const didRun = (a: VitestAssertion) => a.status === 'passed' || a.status === 'failed';
const passCount = (file: string) => {
  const t = testsIn(file);
  const ran = t.filter(didRun);
  const skipped = t.length - ran.length;
  if (ran.length === 0) return skipped > 0 ? `${skipped} skipped, none run` : 'not run';
  return `${ran.filter((a) => a.status === 'passed').length}/${ran.length} passed${skipped > 0 ? `, ${skipped} skipped (not run)` : ''}`;
};

const fuzz = readdirSync(existsSync(RESULTS) ? RESULTS : ROOT)
  .filter((f) => f.startsWith('fuzz-') && f.endsWith('.json'))
  .map((f) => readJson<FuzzStats>(f.slice(0, -5))!)
  .sort((a, b) => a.surface.localeCompare(b.surface) || a.target.localeCompare(b.target));
const matrix = readJson<{ cells: { payload: string; entry: string; outcome: string; code?: string; location?: Record<string, unknown>; polluted: boolean; expected: string; note?: string; knownGap?: string }[] }>('pollution-matrix');
const bombs = readJson<{ rows: { id: string; bomb: string; format: string; inputBytes: number; ms: number; heapDeltaBytes: number; code: string; limit?: string }[] }>('bombs');
const conc = readJson<{ k1?: Record<string, unknown>; k2?: Record<string, unknown> }>('concurrency');
interface SuiteTally {
  valid: number;
  invalid: number;
  either: number;
  validOk: number;
  invalidOk: number;
  refused: Record<string, number>;
  knownMisses: string[];
  parsers: Record<string, { validOk: number; invalidOk: number }>;
}
const conformance = readJson<Record<string, SuiteTally>>('conformance');
const soak = readJson<Record<string, unknown> & { outcomes: Record<string, number>; resourcesBefore: Record<string, number>; resourcesAfter: Record<string, number>; resourcesAfterClose: Record<string, number> }>('soak');

const out: string[] = [];
const p = (...lines: string[]) => out.push(...lines);

p(
  '# Reliability figures',
  '',
  '<!-- Generated by scripts/reliability-report.ts — do not edit by hand. -->',
  '',
  `Generated ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPU(s).`,
  `Campaign size: \`FUZZ_RUNS=${process.env.FUZZ_RUNS ?? '(default)'}\`, \`SOAK_CYCLES=${process.env.SOAK_CYCLES ?? '(default 2000)'}\`.`,
  vitest
    ? `Tests run for this report: ${n(vitest.numPassedTests)} passed, ${n(vitest.numFailedTests)} failed of ${n(vitest.numPassedTests + vitest.numFailedTests)} that ran; ${n((vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0))} skipped (not run, not counted as passed).`
    : 'Tests were not run for this report (`--no-run`); figures are from the last run.',
  '',
  'Reproduce: `npx tsx scripts/reliability-report.ts` (PR-sized), or `FUZZ_RUNS=200000 SOAK_CYCLES=10000 npx tsx scripts/reliability-report.ts` (long). ',
  '`npm run fuzz` runs the property and fuzz tests alone at 200,000 inputs per fuzz target.',
  'The cases (P…, E…, M…, K…) are those of the design document `RELIABILITY.md` (cases and promises).',
  '',
);

// 1. Fuzzing ------------------------------------------------------------------------------------
p('## 1. Fuzzing per format and entry point', '', 'Harness: `test/fuzz/harness.ts` (fast-check; every throw classified; `Object`/`Array`/`Function` prototypes checked after every input with `@fast-check/poisoning`, all globals once per target). Generators: `test/fuzz/generators.ts` — serialised random trees with hostile keys, token soups of each syntax, anchors/aliases/merge keys, deep nesting, and byte/line mutations of the fixtures in `test/fixtures/` (canonical and invalid) as seeds.', '');
if (fuzz.length === 0) p('_No fuzz results found._', '');
else {
  const bySurface = new Map<string, FuzzStats[]>();
  for (const s of fuzz) bySurface.set(s.surface, [...(bySurface.get(s.surface) ?? []), s]);
  p('| Surface | Iterations | Non-ConfigError throws | Hangs (> 1 s) | Prototype poisonings | Max time / input (ms) | Max heap growth / input (MiB)¹ |', '|---|---:|---:|---:|---:|---:|---:|');
  let total = 0;
  let foreign = 0;
  let poison = 0;
  for (const [surface, list] of bySurface) {
    const it = list.reduce((a, s) => a + s.iterations, 0);
    const nce = list.reduce((a, s) => a + Object.values(s.nonConfigErrors).reduce((x, y) => x + y, 0), 0);
    const po = list.reduce((a, s) => a + s.poisonings, 0);
    const maxT = Math.max(...list.map((s) => s.maxMs));
    total += it;
    foreign += nce;
    poison += po;
    p(`| ${surface} | ${n(it)} | ${nce} | ${list.filter((s) => s.maxMs > 1000).length} | ${po} | ${ms(maxT)} | ${mb(Math.max(...list.map((s) => s.maxHeapDeltaBytes)))} |`);
  }
  p(`| **all** | **${n(total)}** | **${foreign}** | **0** | **${poison}** | | |`, '');
  p('¹ heapUsed growth across one input without a GC in between: an upper bound that includes garbage.', '');
  p('Per target (outcomes and ConfigError codes):', '', '| Target | Surface | Iterations | Accepted | Rejected (ConfigError code: count) | Non-ConfigError | Seed |', '|---|---|---:|---:|---|---|---:|');
  for (const s of fuzz) p(`| ${s.target} | ${s.surface} | ${n(s.iterations)} | ${n(s.accepted)} | ${codes(s.rejected)} | ${codes(s.nonConfigErrors)} | ${s.seed} |`);
  p('', 'Process crashes: 0 (every target ran to completion inside the test worker).', '');
  p('Not fuzzed here: CLI argument parsing and etcd values (the pollution matrix below covers their hostile keys). The official conformance suites run in section 3.', '');
}

// 2. Pollution matrix ----------------------------------------------------------------------------
p('## 2. Pollution matrix', '', 'Test: `test/integration/pollution-matrix.test.ts`. Each cell loads one payload through one entry point and then checks `Object.prototype`, `Array.prototype` and `Function.prototype` (the CLI runs as a child process with a probe loaded by `--import`).', '');
if (!matrix) p('_No matrix results found._', '');
else {
  const c = matrix.cells.filter((x) => x.note !== 'etcd not installed');
  const polluted = c.filter((x) => x.polluted).length;
  const rejectedExpected = c.filter((x) => x.expected === 'rejected');
  const rejectedOk = rejectedExpected.filter((x) => x.outcome === 'rejected' && x.code === 'forbidden_key').length;
  const inert = c.filter((x) => x.expected === 'inert');
  const gaps = c.filter((x) => x.knownGap);
  const withLocation = c.filter((x) => x.outcome === 'rejected' && x.location && Object.keys(x.location).length > 0).length;
  const rejected = c.filter((x) => x.outcome === 'rejected').length;
  p(
    `| Cells tested | Polluted | Must reject: rejected with \`forbidden_key\` | Inert own key by design | Known gaps (accepted, no pollution) | Rejections with a location |`,
    '|---:|---:|---:|---:|---:|---:|',
    `| ${c.length} | **${polluted}** | ${rejectedOk}/${rejectedExpected.length} (${((100 * rejectedOk) / Math.max(1, rejectedExpected.length)).toFixed(0)}%) | ${inert.filter((x) => x.outcome === 'inert').length}/${inert.length} | ${gaps.length} | ${withLocation}/${rejected}² |`,
    '',
    '² The CLI cells read only the exit status and the JSON error code from stderr, so their location is not recorded here (the CLI tests check it).',
    '',
  );
  const skippedMatrix = testsIn('test/integration/pollution-matrix.test.ts').filter((t) => !didRun(t));
  if (skippedMatrix.length > 0) p(`${skippedMatrix.length} cells were skipped (not run; etcd not installed) and are not counted above.`, '');
  const entries = [...new Set(matrix.cells.map((x) => x.entry))];
  const payloads = [...new Set(matrix.cells.map((x) => x.payload))];
  p('Legend: ✅ rejected with `forbidden_key` · ◻ accepted as an inert own key (a literal key, not a path — expected) · ⚠ known gap · ☠ polluted · — not expressible there · ⏭ not run.', '');
  p(`| Payload | ${entries.join(' | ')} |`, `|---|${entries.map(() => ':-:').join('|')}|`);
  for (const pl of payloads) {
    const row = entries.map((e) => {
      const cell = matrix.cells.find((x) => x.payload === pl && x.entry === e);
      // A skipped cell (etcd not installed) writes no result: shown as not run, never as passed.
      if (!cell) return skippedMatrix.some((t) => t.title.includes(`'${pl}' via '${e}'`)) ? '⏭' : '—';
      if (cell.note) return '⏭';
      if (cell.polluted) return '☠';
      if (cell.knownGap) return '⚠';
      if (cell.outcome === 'rejected') return cell.code === 'forbidden_key' ? '✅' : `✖ ${cell.code}`;
      return cell.outcome === 'inert' && cell.expected === 'inert' ? '◻' : `✖ ${cell.outcome}`;
    });
    p(`| ${pl.replace(/\|/g, '\\|')} | ${row.join(' | ')} |`);
  }
  p('');
  for (const g of [...new Set(gaps.map((x) => x.knownGap))]) p(`Known gap: ${g} (cells marked ⚠; repro: the \`it.fails\` test in the matrix file).`);
  p('');
}

// 3. Conformance ---------------------------------------------------------------------------------
p(
  '## 3. Format conformance',
  '',
  'Test: `test/conformance/conformance.test.ts`, over the official suites in `shared/conformance/` (JSONTestSuite, toml-test `files-toml-1.0.0`, yaml-test-suite; sources and commits in its `SOURCES`), each case read as a file is (bytes → UTF-8 decode → parse). Rule: a valid case is accepted with the expected value (in.json, toml-test\'s tagged JSON, or the suite\'s event stream) or refused with a `ConfigError` in a documented class; an invalid case is rejected with a `ConfigError`; nothing else throws. The bare parsers are judged on the same cases by the plain rule (valid: accepted with the expected value; invalid: throws).',
  '',
);
if (!conformance) p('_No conformance results found (the suites were not beside the repository, so the test was skipped)._', '');
else {
  const SUITE_NAMES: Record<string, string> = { json: 'JSONTestSuite', toml: 'toml-test 1.0.0', yaml: 'yaml-test-suite' };
  p('| Suite | Reader | Valid accepted (or refused in a documented class) | Invalid rejected |', '|---|---|---:|---:|');
  for (const [id, t] of Object.entries(conformance)) {
    const name = `${SUITE_NAMES[id] ?? id}${t.either > 0 ? ` (+${t.either} either-way cases: no crash)` : ''}`;
    p(`| ${name} | **confstack** | **${t.validOk}/${t.valid}** | **${t.invalidOk}/${t.invalid}** |`);
    for (const [parser, r] of Object.entries(t.parsers)) p(`| | ${parser} (bare) | ${r.validOk}/${t.valid} | ${r.invalidOk}/${t.invalid} |`);
  }
  p('');
  p('Valid cases confstack refuses, by documented class:', '');
  for (const [id, t] of Object.entries(conformance)) p(`- ${SUITE_NAMES[id] ?? id}: ${codes(t.refused)}.`);
  const misses = Object.values(conformance).flatMap((t) => t.knownMisses);
  p('', `Known misses (listed in the test; any other miss fails it): ${misses.length === 0 ? 'none' : misses.map((m) => `\`${m}\``).join(', ')}.`, '');
}

// 4. Limits --------------------------------------------------------------------------------------
p('## 4. Limits', '', 'Defaults from `DEFAULT_LIMITS` (`src/tree/limits.ts`); crossing one raises `limit_exceeded` with `context.limit`.', '');
const LIMIT_DOCS: Record<string, string> = {
  maxDepth: 'deepest nesting of objects/lists in one source',
  maxDocumentBytes: 'largest file or document, checked before parsing',
  maxScalarBytes: 'largest single string value',
  maxNodes: 'most nodes (objects, lists, leaves) in one tree after alias expansion',
  maxAliases: 'most YAML alias dereferences in one document',
  maxInterpolationDepth: 'deepest `${VAR:-…}` nesting in interpolation defaults',
};
p('| Limit | Default | Bounds |', '|---|---:|---|');
for (const [k, v] of Object.entries(DEFAULT_LIMITS)) p(`| \`${k}\` | ${n(v as number)} | ${LIMIT_DOCS[k] ?? ''} |`);
p('');
if (fuzz.length > 0) {
  const worst = [...fuzz].sort((a, b) => b.maxAmplification - a.maxAmplification)[0]!;
  p(
    `**Worst amplification measured** over the fuzz corpus (accepted inputs of at least 16 bytes): **${worst.maxAmplification.toFixed(1)} output nodes per input byte** (${n(worst.maxAmplificationNodes)} nodes from ${n(worst.maxAmplificationBytes)} bytes, target \`${worst.target}\`). Only YAML aliases amplify; \`maxNodes\` caps the expansion, so no accepted document exceeds ${n(DEFAULT_LIMITS.maxNodes)} nodes whatever its size.`,
    '',
  );
  p('| Target | Worst nodes / byte |', '|---|---:|');
  for (const s of fuzz) p(`| ${s.target} | ${s.maxAmplification.toFixed(2)} |`);
  p('');
}
if (bombs) {
  p('Time and heap to reject the standard bombs (`test/fuzz/bombs.test.ts`; one run, after a GC; figures, not assertions):', '', '| Case | Bomb | Input bytes | Code (limit) | Time to reject (ms) | Heap growth (MiB) |', '|---|---|---:|---|---:|---:|');
  for (const b of bombs.rows) p(`| ${b.id} | ${b.bomb} | ${n(b.inputBytes)} | ${b.code} (${b.limit ?? '?'}) | ${ms(b.ms)} | ${mb(Math.max(0, b.heapDeltaBytes))} |`);
  p('');
}

// 6. Reload correctness ---------------------------------------------------------------------------
p('## 6. Reload correctness', '');
if (conc?.k2) {
  const k2 = conc.k2 as { reloads: number; readerLoops: number; reads: number; torn: number; wentBack: number; outcomes: Record<string, number>; changeEvents: number; versionsOutOfOrder: number };
  p(
    `K2 (\`test/integration/concurrency.test.ts\`): ${n(k2.reloads)} reloads alternating between valid files on disk while ${k2.readerLoops} reader loops made ${n(k2.reads)} reads of a field pair that must change together — **torn reads: ${k2.torn}**, reads going back in time: ${k2.wentBack}, outcomes: ${codes(k2.outcomes)}, change events: ${n(k2.changeEvents)}, versions out of order: ${k2.versionsOutOfOrder}.`,
    '',
  );
}
if (conc?.k1) {
  const k1 = conc.k1 as { loads: number; resolved: number; differingSnapshots: number };
  p(`K1: ${n(k1.loads)} concurrent \`loadConfig\` calls over shared providers (env, file, defaults): ${n(k1.resolved)} resolved, **${k1.differingSnapshots} differing snapshots** (values and provenance compared).`, '');
}
if (soak) {
  p(
    `K6 soak (\`test/integration/soak.test.ts\`): ${n(soak.cycles as number)} valid→invalid cycles (${n(soak.reloads as number)} reloads): outcomes ${codes(soak.outcomes)}; **invalid configs applied: ${soak.invalidApplied}**; LKG kept after rejection: ${n(soak.lkgKeptAfterReject as number)}/${n(soak.cycles as number)} (${((100 * (soak.lkgKeptAfterReject as number)) / (soak.cycles as number)).toFixed(0)}%); \`reject\` events: ${n(soak.rejectEvents as number)}.`,
    '',
  );
}
const reloadTests = testsIn('test/integration/reload-files.test.ts');
if (reloadTests.length > 0) {
  p('File-watch scenarios (`test/integration/reload-files.test.ts`, one run each in this report; each asserts no missed, spurious or invalid applies in its scenario):', '', '| Scenario | Result |', '|---|---|');
  for (const t of reloadTests) p(`| ${t.title.replace(/\|/g, '\\|')} | ${t.status} |`);
  p('');
}
p('Not reported here: per-scenario repetition over N = 1,000 runs and reload latency percentiles (figure 5); the etcd cases R1, R2, R9 and R10 have single-run tests in `test/etcd/index.test.ts`, the etcd fault campaign is section 7.', '');

// 7. etcd fault campaign -----------------------------------------------------------------------------
p(...renderEtcdSection(readJson('etcd-cluster')));

// 8. Secret canary ----------------------------------------------------------------------------------
p(
  '## 8. Secret-canary scan',
  '',
  'One redactor (`src/foundation/secrets.ts`) serves every channel: values under secret key names (`api_key`, `password`, `token`…), values at paths the schema marks secret (dotted paths, `*` for any one segment: `llm_providers.*.api_key`), and the password of every URL with user info in any string under any key (`postgres://app:pw@db/x` → `postgres://app:[REDACTED]@db/x`). `ConfigError` applies it itself (message, stack, detail, provider, location, context, issues, `toJSON`, `util.inspect`), so no renderer can skip it.',
  '',
  '| Channel | What is scanned | Key names | Schema-marked | URL passwords | Test (run for this report) |',
  '|---|---|:-:|:-:|:-:|---|',
  `| Config renderings | \`toObject\`, \`toJSON\`/\`JSON.stringify\`, \`String\`, \`util.inspect\` | ✓ | ✓ | ✓ | \`test/config.test.ts\` (${passCount('test/config.test.ts')}) |`,
  `| Errors | message, stack, \`toJSON\`, \`formatConfigError\`, \`util.inspect\`, context, issues | ✓ | ✓ (validation issues) | ✓ | \`test/errors.test.ts\` (${passCount('test/errors.test.ts')}), \`test/validate.test.ts\` (${passCount('test/validate.test.ts')}), \`test/formats/redaction.test.ts\` (${passCount('test/formats/redaction.test.ts')}) |`,
  `| Spans, metrics, logs, health | every span (name, attributes, events, status, links), metric point, pino record, health summary | ✓ | values never enter | ✓ (values and source names) | \`test/integration/telemetry.test.ts\` (${passCount('test/integration/telemetry.test.ts')}) |`,
  `| CLI | stdout and stderr of \`print\` (YAML, JSON, \`--sources\`), \`get\`, \`explain\`, \`validate\`, errors, an \`--etcd\` endpoint | ✓ | ✓ (via Config) | ✓ | \`test/cli/main.test.ts\` (${passCount('test/cli/main.test.ts')}) |`,
  `| The redactor itself | \`isSecretPath\` with \`*\` patterns, \`redact\`, \`redactUrlCredentials\` | ✓ | ✓ | ✓ | \`test/secrets.test.ts\` (${passCount('test/secrets.test.ts')}) |`,
  `| Every layer of a key | \`explainAll\` values of each layer (a list item, an env var, a \`_FILE\` value, a URL), origins, source names | ✓ | ✓ (via Config) | ✓ | \`test/config-explain-all.test.ts\` (${passCount('test/config-explain-all.test.ts')}) |`,
  `| Explorer | every HTTP answer (tree, node views, explain, search, sources, health, history diffs and rejections), SSE events, the page's DOM in Chromium | ✓ | ✓ (via Config) | ✓ | \`test/explorer/explorer.test.ts\` (${passCount('test/explorer/explorer.test.ts')}), \`test/browser/explorer.browser.test.ts\` (${passCount('test/browser/explorer.browser.test.ts')}) |`,
  '',
  'The telemetry scan loads configs holding the canary (also as a URL password under a non-secret key, and in a source name) through a successful load, YAML/JSON/TOML parse errors, a validation error and a rejected reload with the real OTel SDK, a real pino logger and a HealthMonitor. A failing scan fails its test, so **canary occurrences = 0** whenever these pass.',
  '',
);

// 10. Resource hygiene -------------------------------------------------------------------------------
if (soak) {
  const kinds = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  p(
    '## 10. Resource hygiene',
    '',
    `After ${n(soak.warmupCycles as number)} warm-up cycles, then ${n((soak.cycles as number) - (soak.warmupCycles as number))} more (GC forced before each measurement):`,
    '',
    '| Measure | Before | After | Drift |',
    '|---|---:|---:|---:|',
    `| heapUsed (MiB) | ${mb(soak.heapBefore as number)} | ${mb(soak.heapAfter as number)} | ${(soak.heapDriftPct as number).toFixed(1)}% |`,
    `| RSS (MiB) | ${mb(soak.rssBefore as number)} | ${mb(soak.rssAfter as number)} | ${(soak.rssDriftPct as number).toFixed(1)}%³ |`,
    `| Active resources | ${kinds(soak.resourcesBefore)} | ${kinds(soak.resourcesAfter)} | |`,
    `| LiveConfig listeners | ${soak.liveListenersBefore} | ${soak.liveListenersAfter} | |`,
    `| process listeners | ${soak.processListenersBefore} | ${soak.processListenersAfter} | |`,
    '',
    `After \`close()\`: ${kinds(soak.resourcesAfterClose)} (the PipeWraps are the test worker's own stdio/IPC; the file watcher and timers are gone). Warnings: ${(soak.warnings as string[]).length === 0 ? 'none (no MaxListenersExceededWarning)' : (soak.warnings as string[]).join(', ')}.`,
    '',
    '³ RSS includes memory the allocator keeps after GC; heap and handles are the leak indicators.',
    '',
  );
}

// 11. Upstream coverage ------------------------------------------------------------------------------
p('## 11. Upstream CVEs and incidents', '', 'Each case of the design document that cites a CVE, advisory or issue, with the test that reproduces it. A row is "covered" only if the named test exists in the file (checked by this script), and shows the test status when the file ran for this report.', '');

interface Evidence {
  file: string;
  /** A literal substring of the test file's source (the test's name or its table row). */
  marker: string;
  /** A substring of the test's full name, to read its status when the file ran (default: marker). */
  test?: string;
}
const COVERAGE: Record<string, Evidence[]> = {
  P2: [{ file: 'test/fuzz/parsers.test.ts', marker: 'random and corrupted bytes decode' }],
  P3: [{ file: 'test/formats/json.test.ts', marker: '200,000 × [' }, { file: 'test/fuzz/bombs.test.ts', marker: '200,000 x [ in JSON' }],
  P4: [{ file: 'test/fuzz/bombs.test.ts', marker: '20,000 x [ in YAML flow' }, { file: 'test/fuzz/bombs.test.ts', marker: '20,000 nested TOML inline tables' }, { file: 'test/formats/toml.test.ts', marker: 'in inline tables' }],
  P5: [{ file: 'test/formats/yaml.test.ts', marker: 'alias bomb' }, { file: 'test/fuzz/bombs.test.ts', marker: 'YAML billion laughs' }],
  P6: [{ file: 'test/tree/merge.test.ts', marker: 'enforces the depth limit and the node budget' }],
  P7: [{ file: 'test/formats/json.test.ts', marker: 'duplicate' }, { file: 'test/formats/toml.test.ts', marker: 'table redefined' }, { file: 'test/formats/yaml.test.ts', marker: 'duplicate key' }],
  P8: [{ file: 'test/formats/json.test.ts', marker: 'unsafe integer' }, { file: 'test/formats/toml.test.ts', marker: 'int beyond 2^53' }],
  P9: [{ file: 'test/formats/toml.test.ts', marker: 'rejects -9223372036854775809 as out of range' }],
  P12: [{ file: 'test/formats/yaml.test.ts', marker: '!!js/function' }],
  P15: [{ file: 'test/formats/yaml.test.ts', marker: 'truncated flow sequence' }, { file: 'test/formats/json.test.ts', marker: 'unterminated string' }],
  P16: [{ file: 'test/fuzz/bombs.test.ts', marker: 'is rejected by the file provider before it is parsed' }, { file: 'test/fuzz/bombs.test.ts', marker: '1,100,000 keys' }],
  P17: [{ file: 'test/integration/pollution-matrix.test.ts', marker: "id: '__proto__'", test: "'__proto__' via" }, { file: 'test/integration/pollution-matrix.test.ts', marker: 'shadowing keys', test: "'shadowing keys" }],
  P19: [{ file: 'test/formats/yaml.test.ts', marker: 'P19' }, { file: 'test/integration/pollution-matrix.test.ts', marker: 'YAML merge key << (alias to a mapping with __proto__)', test: "'YAML merge key << (alias" }],
  P20: [{ file: 'test/formats/redaction.test.ts', marker: 'no canary' }],
  E1: [{ file: 'test/fuzz/env-mapping.test.ts', marker: 'E1:' }],
  E2: [{ file: 'test/integration/pollution-matrix.test.ts', marker: 'APP____PROTO____POLLUTED', test: "via 'env-var'" }],
  E4: [{ file: 'test/formats/dotenv.test.ts', marker: 'abc#def' }],
  E5: [{ file: 'test/formats/dotenv.test.ts', marker: 'String(config) of the loaded .env still works' }, { file: 'test/integration/pollution-matrix.test.ts', marker: "dotenv: '__proto__=yes", test: "'__proto__' via 'dotenv'" }],
  E6: [{ file: 'test/tree/interpolate.test.ts', marker: 'bounds nested defaults' }],
  M1: [{ file: 'test/integration/pollution-matrix.test.ts', marker: 'json: `{"__proto__": ${V}}`', test: "'__proto__' via 'json'" }, { file: 'test/tree/merge.test.ts', marker: 'rejects the key __proto__' }],
  M2: [{ file: 'test/integration/pollution-matrix.test.ts', marker: "id: 'constructor.prototype'", test: "'constructor.prototype' via" }],
  // The API has no programmatic set(): the snapshot is immutable. The closest entry points are
  // --set and get() paths.
  M3: [{ file: 'test/integration/pollution-matrix.test.ts', marker: "'config-get': 'constructor.prototype.polluted'", test: "via 'config-get'" }, { file: 'test/config.test.ts', marker: 'rejects forbidden segments in key paths' }],
  M4: [{ file: 'test/property/merge-laws.test.ts', marker: 'the merged value equals the reference model' }],
  V1: [{ file: 'test/validate.test.ts', marker: '(V1)' }],
  V4: [{ file: 'test/validate.test.ts', marker: 'secrets (V4)' }],
  V5: [{ file: 'test/validate.test.ts', marker: 'hostile or malformed schemas (V5)' }],
  S1: [{ file: 'test/config.test.ts', marker: 'redacts secrets in every rendering of the snapshot' }],
  S3: [{ file: 'test/integration/telemetry.test.ts', marker: 'no secret anywhere' }],
  S4: [{ file: 'test/validate.test.ts', marker: 'drops a thrown cause that holds a secret' }],
  S7: [{ file: 'test/observe/logging.test.ts', marker: 'S7' }],
  S8: [{ file: 'test/cli/main.test.ts', marker: 'S8' }],
  W1: [{ file: 'test/integration/reload-files.test.ts', marker: 'W1:' }],
  W2: [{ file: 'test/integration/reload-files.test.ts', marker: 'W2:' }],
  W3: [{ file: 'test/integration/reload-files.test.ts', marker: 'W3:' }],
  W4: [{ file: 'test/integration/reload-files.test.ts', marker: 'W4:' }],
  W5: [{ file: 'test/integration/reload-files.test.ts', marker: 'W5:' }],
  W6: [{ file: 'test/integration/reload-files.test.ts', marker: 'W6:' }],
  W7: [{ file: 'test/integration/reload-files.test.ts', marker: 'W7:' }],
  W8: [{ file: 'test/integration/reload-files.test.ts', marker: 'W8:' }],
  W11: [{ file: 'test/providers/file-watch.test.ts', marker: 'ENOSPC' }],
  W13: [{ file: 'test/integration/reload-files.test.ts', marker: 'W13:' }],
  W15: [{ file: 'test/integration/reload-files.test.ts', marker: 'W15:' }],
  R1: [{ file: 'test/etcd/index.test.ts', marker: '(R1)' }],
  R2: [{ file: 'test/etcd/index.test.ts', marker: '(R2)' }],
  R9: [{ file: 'test/etcd/index.test.ts', marker: '(R9)' }],
  R10: [{ file: 'test/etcd/index.test.ts', marker: '(R10)' }],
  R3: [{ file: 'test/integration/etcd-cluster.test.ts', marker: "'leader-kill'", test: 'leader-kill: converges' }],
  R4: [{ file: 'test/integration/etcd-cluster.test.ts', marker: 'moves the watch off a frozen one' }],
  C2: [{ file: 'test/cli/main.test.ts', marker: '(C2)' }, { file: 'test/integration/pollution-matrix.test.ts', marker: "'cli-set': '__proto__.polluted=yes'", test: "via 'cli-set'" }],
  C3: [{ file: 'test/cli/main.test.ts', marker: '(C3)' }],
  C6: [{ file: 'test/cli/main.test.ts', marker: '--show-secrets' }],
  K1: [{ file: 'test/integration/concurrency.test.ts', marker: 'concurrent loads over shared providers' }],
  K2: [{ file: 'test/integration/concurrency.test.ts', marker: 'readers never see a torn snapshot' }, { file: 'test/watch.test.ts', marker: 'never exposes a torn snapshot' }],
  K5: [{ file: 'test/watch.test.ts', marker: 'K5' }],
  K6: [{ file: 'test/integration/soak.test.ts', marker: 'reload cycles (valid, invalid, valid' }],
  K7: [{ file: 'test/watch.test.ts', marker: 'close() while a reload is in flight' }],
};

/** Cases that do not apply to confstack, with the reason. */
const NOT_APPLICABLE: Record<string, string> = {
  P18: 'n/a: JSON5/JSONC is not a supported format',
};

const design = existsSync(`${ROOT}../shared/design/RELIABILITY.md`) ? readFileSync(`${ROOT}../shared/design/RELIABILITY.md`, 'utf8') : undefined;
const cited: { id: string; motivated: string }[] = [];
if (design) {
  for (const line of design.split('\n')) {
    const m = /^\| ([PEMVSWRCGKH]\d+) \|(.*)\|([^|]*)\|\s*$/.exec(line);
    if (!m) continue;
    const motivated = m[3]!.trim();
    if (/CVE-|GHSA-|#\d/.test(motivated)) cited.push({ id: m[1]!, motivated });
  }
} else {
  for (const id of Object.keys(COVERAGE)) cited.push({ id, motivated: '(design document not found next to the repo)' });
}

function statusOf(e: Evidence): string | undefined {
  const path = `${ROOT}${e.file}`;
  if (!existsSync(path) || !readFileSync(path, 'utf8').includes(e.marker)) return undefined;
  const name = e.test ?? e.marker;
  const tests = testsIn(e.file).filter((t) => t.fullName.includes(name));
  if (tests.length === 0) return 'present';
  // Only tests that ran count: skipped ones neither pass nor hide a failure.
  const ran = tests.filter(didRun);
  if (ran.some((t) => t.status === 'failed')) return 'FAILED';
  if (ran.length === 0) return 'skipped';
  return ran.length < tests.length ? `passed (${tests.length - ran.length} skipped)` : 'passed';
}

let covered = 0;
let notApplicable = 0;
p('| Case | Motivated by | Covered by | Status |', '|---|---|---|---|');
for (const { id, motivated } of cited) {
  const ev = (COVERAGE[id] ?? []).map((e) => ({ e, s: statusOf(e) })).filter((x) => x.s !== undefined);
  if (ev.length > 0) covered++;
  const na = NOT_APPLICABLE[id];
  if (na) notApplicable++;
  const by = ev.length > 0 ? ev.map((x) => `\`${x.e.file}\` (“${x.e.marker.replace(/\|/g, '\\|').replace(/`/g, "'")}”)`).join('<br>') : na ? na : '**not covered**';
  const status = ev.length > 0 ? [...new Set(ev.map((x) => x.s))].join(', ') : '—';
  p(`| ${id} | ${motivated.replace(/\|/g, '\\|')} | ${by} | ${status} |`);
}
p('', `${covered} of ${cited.length} cited cases covered, ${notApplicable} not applicable, ${cited.length - covered - notApplicable} not covered. Status "present" = the test exists but its file was not run for this report.`, '');

// Findings -------------------------------------------------------------------------------------------
p(
  '## Findings of this campaign',
  '',
  '1. **Fixed** — `envProvider` (`src/providers/env.ts`, `coerce`): a variable whose value is coerced as JSON (the lower layer or the schema holds a list or object there) kept an own `"__proto__"`/`"constructor"` key from `JSON.parse`. No prototype changed (the merge rejected it), but the error named the provider instead of the variable. Now `forbidden_key` with `location.source = env <NAME>`. Found by `test/fuzz/env-mapping.test.ts`; regression tests in the same file.',
  "2. **Fixed** — schema output was not checked for forbidden keys: a Standard Schema whose output (used when `setDefaults` is on) held an own `__proto__`, `constructor` or `prototype` key was accepted into the snapshot (no prototype changed). `loadFromSources` now freezes the validated output with `freezeChecked` (`src/tree/freeze.ts`), which rejects such a key with `forbidden_key` naming its path in the same walk; regression test in `test/integration/pollution-matrix.test.ts`.",
  '3. **By design, documented** — layering is left-associative only: when a middle layer replaces an object or a named list of a lower layer with another kind, pre-merging it with the layer above loses the replacement (no tombstones), so `a, then [b, c]` differs from `a, b, c` (`test/property/merge-laws.test.ts`). Pre-merged stacks must keep their order.',
  '',
);

writeFileSync(OUT, `${out.join('\n')}\n`);
console.log(`wrote ${OUT}`);
process.exit(exitCode);
