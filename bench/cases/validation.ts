/**
 * Validation throughput of the framework schema on the ~3 KB and ~100 KB configs, in one process,
 * contestants sampled round-robin: confstack's validation path (validateValue: Standard Schema
 * call, issue conversion with origins, secret scrubbing; the zod schema carries the
 * cross-reference rules) against a bare `FrameworkConfigSchema.parse` of the same zod schema and
 * against ajv compiled from `frameworkJsonSchema()`.
 */
import { validateConfig, validateValue, type Origin } from 'confstack';
import { FrameworkConfigSchema, frameworkJsonSchema } from 'confstack/schema';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { appConfig, type Size } from '../fixtures.js';
import { formatRatio, sampleInterleaved, type SampleOptions } from '../lib/measure.js';
import type { BenchCase, Goal, Row } from '../lib/types.js';

const BARE = 'bare zod (FrameworkConfigSchema.parse)';
const CONFSTACK_ZOD = 'confstack validateValue (zod schema)';
const CONFSTACK_DEFAULT = 'confstack validateConfig (default validator)';
const AJV = 'ajv (frameworkJsonSchema, compiled)';

const SIZES: readonly Size[] = ['3KB', '100KB'];

/** Every path of the value answers a file origin, as the loader's origin table would. */
const originOf = (path: string): Origin => ({ provider: 'file:config.yaml', type: 'file', location: 'config.yaml', line: path.length + 1, column: 3 });

function sampling(size: Size, quick: boolean): SampleOptions {
  if (quick) return { warmup: 20, minSamples: 5, minTimeMs: 0, batch: size === '3KB' ? 20 : 1 };
  // 3 KB validations take ~10 µs: batch them so timer resolution and the per-call await vanish.
  return size === '3KB' ? { warmup: 2_000, minSamples: 200, minTimeMs: 2_500, batch: 50 } : { warmup: 50, minSamples: 100, minTimeMs: 2_500 };
}

/** A 3 KB config with three faults: a wrong type, a dangling agent reference, a duplicate tool name (which also leaves two agents' tool_names dangling). */
function invalidConfig(): Record<string, unknown> {
  const value = appConfig('3KB') as { server: Record<string, unknown>; agents: Record<string, unknown>[]; tools: Record<string, unknown>[] };
  value.agents[0]!.max_iterations = 'many';
  value.agents[1]!.llm_provider_name = 'nobody';
  value.tools[1]!.name = value.tools[0]!.name;
  return value;
}

export const run: BenchCase = async (ctx) => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is not a dependency; URL parsing is what the zod schema's url check does too.
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  const ajvValidate = ajv.compile(frameworkJsonSchema());

  const rows: Row[] = [];
  const opsPerSec = new Map<string, number>();
  for (const size of SIZES) {
    const value = appConfig(size);
    // Each contestant must accept the fixture before it is timed.
    FrameworkConfigSchema.parse(value);
    await validateValue(value, FrameworkConfigSchema, { originOf });
    await validateConfig(value);
    if (!ajvValidate(value)) throw new Error(`ajv rejects the ${size} fixture: ${ajv.errorsText(ajvValidate.errors)}`);

    const names = [BARE, CONFSTACK_ZOD, CONFSTACK_DEFAULT, AJV];
    const fns = [
      () => FrameworkConfigSchema.parse(value),
      () => validateValue(value, FrameworkConfigSchema, { originOf }),
      () => validateConfig(value),
      () => ajvValidate(value),
    ];
    ctx.log(`validation: ${size}`);
    const sampled = await sampleInterleaved(fns, sampling(size, ctx.quick));
    const base = sampled[0]!.median;
    names.forEach((name, k) => {
      const s = sampled[k]!;
      opsPerSec.set(`${name}|${size}`, 1000 / s.median);
      rows.push({
        name,
        group: `${size} valid`,
        median: s.median,
        opsPerSec: 1000 / s.median,
        ratio: s.median / base,
        ...(name === AJV ? { note: 'no cross-reference rules, no defaults applied' } : {}),
      });
    });
  }

  // The failure path: every issue converted with its origin.
  const bad = invalidConfig();
  const issuesOf = async (): Promise<number> => {
    try {
      await validateValue(bad, FrameworkConfigSchema, { originOf });
    } catch (err) {
      return (err as { issues?: unknown[] }).issues?.length ?? 0;
    }
    return 0;
  };
  const issueCount = await issuesOf();
  if (issueCount < 3 || FrameworkConfigSchema.safeParse(bad).success) throw new Error(`the invalid 3 KB config gave ${issueCount} issues, expected at least 3`);
  const invalidGroup = `3KB invalid (${issueCount} issues)`;
  ctx.log('validation: 3KB invalid');
  const failed = await sampleInterleaved([() => FrameworkConfigSchema.safeParse(bad), issuesOf], sampling('3KB', ctx.quick));
  rows.push(
    { name: 'bare zod (safeParse)', group: invalidGroup, median: failed[0]!.median, opsPerSec: 1000 / failed[0]!.median, ratio: 1 },
    {
      name: CONFSTACK_ZOD,
      group: invalidGroup,
      median: failed[1]!.median,
      opsPerSec: 1000 / failed[1]!.median,
      ratio: failed[1]!.median / failed[0]!.median,
      note: `ConfigError with ${issueCount} issues, each with its origin`,
    },
  );

  const ops = (name: string, size: Size): number => opsPerSec.get(`${name}|${size}`) ?? Number.NaN;
  const ratio = (size: Size): number => ops(BARE, size) / ops(CONFSTACK_ZOD, size);
  const goals: Goal[] = [
    {
      goal: '≥ 50,000 validations/s on ~3 KB (loadConfig’s default validator, cross-references included)',
      measured: `${Math.round(ops(CONFSTACK_DEFAULT, '3KB')).toLocaleString('en-US')}/s`,
      met: ops(CONFSTACK_DEFAULT, '3KB') >= 50_000,
    },
    {
      goal: '≥ 50,000 validations/s on ~3 KB (FrameworkConfigSchema through validateValue)',
      measured: `${Math.round(ops(CONFSTACK_ZOD, '3KB')).toLocaleString('en-US')}/s`,
      met: ops(CONFSTACK_ZOD, '3KB') >= 50_000,
    },
    ...SIZES.map((size) => ({
      goal: `≤ 1.25× bare zod parse time at ~${size} (validateValue with the same zod schema)`,
      measured: formatRatio(ratio(size)),
      met: ratio(size) <= 1.25,
    })),
  ];

  return {
    id: 'validation',
    title: 'Validation throughput (framework schema)',
    description:
      'Validations per second of the framework configuration (~3 KB and ~100 KB, already parsed), contestants sampled round-robin in one process. Ratio: median time against a bare `FrameworkConfigSchema.parse` of the same zod schema.',
    columns: ['median', 'opsPerSec', 'ratio', 'note'],
    rows,
    goals,
    notes: [
      `${CONFSTACK_ZOD}: the path loadConfig takes with \`schema: FrameworkConfigSchema\` — the Standard Schema call, then on failure every issue converted with its key path, origin (the loader’s origin table; here a function answering a file origin for every path) and secret scrubbing. The cross-reference rules (unique names, agents’ llm_provider_name and tool_names) are part of the zod schema, so bare zod runs them too.`,
      `${CONFSTACK_DEFAULT}: the validator loadConfig uses when no schema is given (validateConfig discards the output, the work is the same).`,
      `${AJV}: Ajv2020 with allErrors, \`uri\` checked with URL.canParse (ajv-formats is not installed); JSON Schema cannot express the cross-reference rules or apply the defaults, so it does less work.`,
      `Sampling: 3 KB in batches of ${sampling('3KB', ctx.quick).batch} calls per sample; medians of per-call time; ops/s = 1 / median.`,
    ],
  };
};
