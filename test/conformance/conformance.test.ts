/**
 * The official conformance suites, run the way a file is loaded (bytes -> decodeText -> parse).
 *
 * ACCEPTANCE RULE
 * - Every valid case is accepted with the expected value, or refused with a ConfigError in one of
 *   the documented classes: root not a mapping, multiple documents, duplicate key, forbidden key,
 *   integer beyond exact range, number beyond the range of a double, depth limit, invalid
 *   encoding, non-core YAML tag, collection key (docs/application-authors.md, "File formats").
 * - Every invalid case is rejected with a ConfigError.
 * - No case throws anything else or hangs (each parse is timed against a generous bound).
 * Goals: JSON every case; TOML 1.0 every case; YAML at least 300 of 308 valid and 90 of 94
 * invalid cases. The cases known to miss are listed below with the reason, so a new miss fails.
 *
 * The suites live in `shared/conformance/` beside the repository; without it these tests are
 * reported as skipped, never as passed.
 */
import * as jsYaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import * as yaml from 'yaml';
import type { Format } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { bareVerdict, type Case, jsonCases, judge, plainEqual, run, SUITES_DIR, tomlCases, writeReliabilityResult, yamlCases } from './suites.js';

/** Cases that miss the rule today, with why. Everything else must pass. */
const KNOWN_MISSES: Readonly<Record<string, string>> = {
  // js-yaml refuses it, and the yaml package (which then decides) accepts it.
  'yaml/SF5V': 'invalid: a duplicate %YAML directive; both the yaml package and this library accept it',
  'yaml/UKK6/02': 'valid: a bare `!` is an empty string root; read as an empty document ({})',
};

interface Tally {
  validOk: number;
  valid: number;
  invalidOk: number;
  invalid: number;
  either: number;
  refused: Record<string, number>;
  misses: string[];
}

function runSuite(format: Format, cases: Case[]): Tally {
  const t: Tally = { validOk: 0, valid: 0, invalidOk: 0, invalid: 0, either: 0, refused: {}, misses: [] };
  for (const c of cases) {
    const started = performance.now();
    const outcome = run(format, c);
    const ms = performance.now() - started;
    const verdict = ms > 2000 ? { ok: false as const, why: `took ${ms.toFixed(0)} ms` } : judge(c, outcome, plainEqual);
    if (c.valid === 'either') {
      t.either++;
      if (!verdict.ok) t.misses.push(`${c.id}: ${verdict.why}`);
      continue;
    }
    if (c.valid) t.valid++;
    else t.invalid++;
    if (verdict.ok) {
      if (c.valid) t.validOk++;
      else t.invalidOk++;
      if (verdict.how !== 'accepted' && verdict.how !== 'rejected') t.refused[verdict.how] = (t.refused[verdict.how] ?? 0) + 1;
    } else if (KNOWN_MISSES[c.id] === undefined) t.misses.push(`${c.id}: ${verdict.why}`);
  }
  return t;
}

const suites = SUITES_DIR;

/** Per suite, for docs/RELIABILITY.md: confstack's tally and the bare parsers' on the same cases. */
const report: Record<string, unknown> = {};

function record(suite: string, t: Tally, cases: Case[], bare: Record<string, (text: string) => unknown>): void {
  const parsers: Record<string, { validOk: number; invalidOk: number }> = {};
  for (const [name, parse] of Object.entries(bare)) {
    const p = { validOk: 0, invalidOk: 0 };
    for (const c of cases) if (c.valid !== 'either' && bareVerdict(c, parse)) c.valid ? p.validOk++ : p.invalidOk++;
    parsers[name] = p;
  }
  report[suite] = { valid: t.valid, invalid: t.invalid, either: t.either, validOk: t.validOk, invalidOk: t.invalidOk, refused: t.refused, knownMisses: Object.keys(KNOWN_MISSES).filter((id) => id.startsWith(suite)), parsers };
}

afterAll(() => {
  if (Object.keys(report).length > 0) writeReliabilityResult('conformance', report);
});

describe.skipIf(suites === undefined)('conformance suites (shared/conformance)', () => {
  it('JSONTestSuite: every y_ case accepted (or refused in a documented class), every n_ case rejected, i_ cases never crash', () => {
    const cases = jsonCases(suites!);
    const t = runSuite(jsonFormat, cases);
    record('json', t, cases, { 'JSON.parse': (text) => JSON.parse(text) });
    expect(t.misses).toEqual([]);
    expect([t.validOk, t.valid, t.invalidOk, t.invalid, t.either]).toEqual([95, 95, 188, 188, 35]);
  });

  it('toml-test 1.0.0: every valid case read with its value, every invalid case rejected', () => {
    const cases = tomlCases(suites!);
    const t = runSuite(tomlFormat, cases);
    record('toml', t, cases, { 'smol-toml 1.9.1': (text) => parseToml(text) });
    expect(t.misses).toEqual([]);
    expect([t.validOk, t.valid, t.invalidOk, t.invalid]).toEqual([210, 210, 499, 499]);
  });

  it('yaml-test-suite: ≥ 300/308 valid, ≥ 90/94 invalid, only the listed misses', () => {
    const cases = yamlCases(suites!);
    const t = runSuite(yamlFormat, cases);
    record('yaml', t, cases, {
      'js-yaml 4.3.2 (core schema)': (text) => jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }),
      'yaml 2.9.1 (core schema)': (text) => yaml.parse(text, { schema: 'core', uniqueKeys: true, logLevel: 'error' }),
    });
    expect(t.misses).toEqual([]);
    expect(t.valid).toBe(308);
    expect(t.invalid).toBe(94);
    expect(t.validOk).toBeGreaterThanOrEqual(300);
    expect(t.invalidOk).toBeGreaterThanOrEqual(90);
    // Collection keys are refused, never stringified (6BFJ: `[a, b, c]: value`).
    expect(t.refused['collection key']).toBeGreaterThan(0);
  });

  it('a collection key is refused with its position, not stringified', () => {
    const c = yamlCases(suites!).find((x) => x.id === 'yaml/6BFJ')!;
    const outcome = run(yamlFormat, c);
    expect(outcome.kind).toBe('rejected');
    const error = (outcome as Extract<typeof outcome, { kind: 'rejected' }>).error;
    expect(error.context?.reason).toBe('collection key');
    expect(error.location).toMatchObject({ file: 'yaml/6BFJ', line: 3, column: 6 });
  });
});
