/**
 * Quick run of the validation, registry, observability and reload cases without the harness:
 * `tsx bench/cases/smoke.ts [case…]` prints their sections as JSON (progress on stderr).
 * Needs `npm run build` first (the cases import confstack's dist/). Figures under tsx are not
 * the harness's: its loader hooks slow every dynamic import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase, Section } from '../lib/types.js';

const CASES: Readonly<Record<string, () => Promise<{ run: BenchCase }>>> = {
  validation: () => import('./validation.js'),
  registry: () => import('./registry.js'),
  observability: () => import('./observability.js'),
  reload: () => import('./reload.js'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !(id in CASES));
if (unknown.length > 0) {
  process.stderr.write(`smoke: unknown case(s) ${unknown.join(', ')} (known: ${Object.keys(CASES).join(', ')})\n`);
  process.exit(2);
}
const fixturesDir = mkdtempSync(join(tmpdir(), 'confstack-bench-smoke-'));
const sections: Section[] = [];
try {
  for (const id of wanted.length > 0 ? wanted : Object.keys(CASES)) {
    const { run } = await CASES[id]!();
    const t0 = performance.now();
    sections.push(await run({ fixturesDir, quick: true, log: (m) => process.stderr.write(`${m}\n`) }));
    process.stderr.write(`smoke: ${id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
} finally {
  rmSync(fixturesDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(sections, null, 2)}\n`);
