/**
 * The layering of src/, checked on its import graph as the TypeScript compiler reads it (every
 * import form counts: `import type`, `export … from`, inline `import('…')` types, dynamic
 * `import()`, `require()`): no import cycle, and no module imports a layer above its own. The
 * layer order is stated once, in LAYERS below. Also: which packages may be imported where, and
 * no bare Error throws in src/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeCycle,
  EAGER_KINDS,
  edgeLocation,
  findCycles,
  importGraph,
  reachable,
  sourceModules,
  upwardImports,
  type ImportEdge,
  type Layer,
} from '../support/import-graph.js';
import { tempDir } from '../support/temp.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/**
 * The layers of src/, lowest first. A module may import modules of its own layer and of any layer
 * below it, never one above. A folder is named with a trailing `/`; a new folder or root file must
 * be placed here before the test passes.
 */
const LAYERS: readonly Layer[] = [
  // foundation/: plain helpers and vendored types (they import nothing of ours), then the one
  // error type, which renders code frames and redacts with them.
  { name: 'foundation', modules: ['foundation/clock.ts', 'foundation/node-fs.ts', 'foundation/secrets.ts', 'foundation/standard-schema.ts', 'foundation/suggest.ts', 'foundation/code-frame.ts'] },
  { name: 'errors', modules: ['foundation/errors.ts'] },
  // Pure functions on plain data: key paths, merge, freeze, origins, interpolation.
  { name: 'tree', modules: ['tree/'] },
  // One parser per format: text -> values + positions.
  { name: 'formats', modules: ['formats/'] },
  // Sources: file, env, memory, composite, and what a provider author builds on.
  { name: 'providers', modules: ['providers/'] },
  // Metrics, traces, logs, and health monitoring over them.
  { name: 'observability', modules: ['observability/'] },
  // The pipeline and the snapshot: generic, knowing no schema's fields (what it reads of a schema
  // goes through its JSON Schema: core/json-schema/), and live reload on top of it.
  { name: 'core', modules: ['core/'] },
  // Remote stores (etcd), built on the core and providers.
  { name: 'remote', modules: ['remote/'] },
  // The provider registry (it creates built-in and remote providers by type name), then the
  // Go-compatible names built on it and the core.
  { name: 'registry', modules: ['registry/'] },
  { name: 'compat', modules: ['compat/'] },
  // Operator tools: the explorer, a node:http view over a LiveConfig or a Config.
  { name: 'operator', modules: ['operator/'] },
  // Schemas that come in through the same door as an app's own (the AI-framework schema), with
  // their typed wrappers of the core. Only the entry points import them.
  { name: 'presets', modules: ['presets/'] },
  // What users run or import: the package entries, test utilities, the CLI.
  { name: 'entry points', modules: ['index.ts', 'testing/', 'cli/'] },
];

/**
 * The framework preset's files that a default load imports: zod must not load with them, directly
 * or through any module they import (importing zod costs ~50 ms; the zod schema loads lazily).
 */
const ZOD_FREE = [
  'presets/framework/api.ts',
  'presets/framework/preset.ts',
  'presets/framework/snapshot.ts',
  'presets/framework/check.generated.ts',
  'presets/framework/cross-fields.ts',
  'presets/framework/defaults.ts',
];

const edges = importGraph(SRC);
const ours = edges.filter((e) => !e.external);
const where = (e: ImportEdge) => `${edgeLocation(e)} ${e.kind} '${e.specifier}'`;

describe('src/ layering', () => {
  it('reads a real graph (guards the checks below against an empty parse)', () => {
    expect(ours.length).toBeGreaterThan(200);
    // Each import form the reader must see, on edges known to exist.
    expect(ours).toContainEqual(expect.objectContaining({ from: 'index.ts', to: 'foundation/errors.ts', kind: 'export from' }));
    expect(ours).toContainEqual(expect.objectContaining({ from: 'tree/merge.ts', to: 'tree/layer.ts', kind: 'import type' }));
    expect(ours).toContainEqual(expect.objectContaining({ from: 'registry/builtins.ts', to: 'remote/etcd/index.ts', kind: 'dynamic import()' }));
  });

  it('has no import cycle, type-only imports included', () => {
    const cycles = findCycles(ours).map(describeCycle);
    expect(cycles, `import cycles:\n  ${cycles.join('\n  ')}`).toEqual([]);
  });

  it('has no import from a higher layer, type-only imports included', () => {
    const violations = upwardImports(ours, LAYERS).map((v) => v.message);
    expect(violations, `upward imports:\n  ${violations.join('\n  ')}`).toEqual([]);
  });

  it('names every module of src/ in exactly one layer', () => {
    const modules = new Set([...sourceModules(SRC), ...ours.map((e) => e.to)]);
    const placed = (m: string) => LAYERS.filter((l) => l.modules.some((p) => (p.endsWith('/') ? m.startsWith(p) : m === p))).length;
    expect([...modules].filter((m) => placed(m) !== 1).sort()).toEqual([]);
  });

  it('imports etcd3 only in remote/etcd/client.ts, zod only in presets/framework/, OTel SDKs only in testing/', () => {
    const offenders = edges
      .filter((e) => e.external)
      .filter(
        (e) =>
          (e.to === 'etcd3' && e.from !== 'remote/etcd/client.ts') ||
          (e.to === 'zod' && !e.from.startsWith('presets/framework/')) ||
          (e.to.startsWith('@opentelemetry/sdk') && !e.from.startsWith('testing/')),
      )
      .map(where);
    expect(offenders).toEqual([]);
  });

  it("keeps zod out of the framework preset's zod-free files and everything they load", () => {
    const offenders = ZOD_FREE.flatMap((file) => {
      const chain = reachable(edges, file, EAGER_KINDS).get('zod');
      return chain ? [`${file} loads zod: ${chain.map(where).join(' → ')}`] : [];
    });
    expect(offenders).toEqual([]);
    // Guard against a renamed file silently checking nothing.
    expect(ZOD_FREE.filter((f) => !sourceModules(SRC).includes(f))).toEqual([]);
  });

  it('has testing/ use the core only through the public entries', () => {
    const entries = new Set(['index.ts', 'providers/index.ts', 'registry/index.ts']);
    const offenders = ours
      .filter((e) => e.from.startsWith('testing/') && !e.to.startsWith('testing/') && !entries.has(e.to))
      .map(where);
    expect(offenders).toEqual([]);
  });

  it('throws no bare Error/TypeError/RangeError from src/ outside foundation/errors.ts and testing/', () => {
    const offenders = sourceModules(SRC)
      .filter((f) => f !== 'foundation/errors.ts' && !f.startsWith('testing/'))
      .filter((f) => /new (Type|Range|Syntax)?Error\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  // The first touch of `performance` loads perf_hooks (foundation/clock.ts says what it costs).
  it('times durations with foundation/clock, never performance.now()', () => {
    const callers = sourceModules(SRC).filter((f) => /\bperformance\.now\b/.test(readFileSync(join(SRC, f), 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '')));
    expect(callers).toEqual([]);
  });

  it('calls process.exit only in Loader#mustLoad and the CLI entry point', () => {
    const callers = sourceModules(SRC).filter((f) => /process\.exit\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(callers.sort()).toEqual(['cli/main.ts', 'core/load.ts']);
    const load = readFileSync(join(SRC, 'core/load.ts'), 'utf8');
    expect(load.match(/process\.exit\(/g)).toHaveLength(1);
    // Inside mustLoad: no other class member starts between its head and the call.
    expect(load.slice(load.indexOf('async mustLoad('), load.indexOf('process.exit('))).not.toMatch(/\n {2}\S/);
  });
});

/** Synthetic edges: `a>b` is an import of b.ts from a.ts at line 1. */
const graph = (...pairs: string[]): ImportEdge[] =>
  pairs.map((p) => {
    const [from, to] = p.split('>') as [string, string];
    return { from: `${from}.ts`, to: `${to}.ts`, external: false, specifier: `./${to}.js`, kind: 'import', line: 1, column: 1 };
  });

describe('the checks themselves', () => {
  it.each([
    { name: 'a chain', edges: graph('a>b', 'b>c'), cycles: [] },
    { name: 'a diamond', edges: graph('a>b', 'a>c', 'b>d', 'c>d'), cycles: [] },
    { name: 'a self-import', edges: graph('a>a'), cycles: [['a.ts', 'a.ts']] },
    { name: 'two modules', edges: graph('a>b', 'b>a'), cycles: [['a.ts', 'b.ts', 'a.ts']] },
    { name: 'a loop of three off a chain', edges: graph('x>c', 'c>a', 'a>b', 'b>c'), cycles: [['a.ts', 'b.ts', 'c.ts', 'a.ts']] },
    { name: 'two separate loops', edges: graph('a>b', 'b>a', 'c>d', 'd>e', 'e>c'), cycles: [['a.ts', 'b.ts', 'a.ts'], ['c.ts', 'd.ts', 'e.ts', 'c.ts']] },
  ])('finds the cycles of $name', ({ edges: g, cycles }) => {
    const found = findCycles(g).map((c) => [c[0]!.from, ...c.map((e) => e.to)]);
    expect(found.sort()).toEqual(cycles);
  });

  it('names each edge of a cycle with file:line and how it imports', () => {
    const [cycle] = findCycles(graph('a>b', 'b>a'));
    expect(describeCycle(cycle!)).toBe("a.ts\n    → b.ts  (a.ts:1:1 import './b.js')\n    → a.ts  (b.ts:1:1 import './a.js')");
  });

  const layers: Layer[] = [
    { name: 'low', modules: ['low/', 'base.ts'] },
    { name: 'high', modules: ['high/'] },
  ];

  it('allows imports downward and within a layer, and reports upward ones and unplaced modules', () => {
    const g = graph('high/x>low/y', 'low/y>base', 'high/x>high/z', 'low/y>high/z', 'stray>base');
    expect(upwardImports(g, layers).map((v) => v.message)).toEqual([
      `low/y.ts:1:1 import './high/z.js': layer "low" imports high/z.ts from the higher layer "high"`,
      `stray.ts:1:1 import './base.js': stray.ts is in no layer; add it to the layer table`,
    ]);
  });

  it('follows only eager imports to a package: not types, not lazy import()', () => {
    const root = tempDir({
      'a.ts': "import { b } from './b.js';\nimport type { C } from './c.js';\nexport const lazy = () => import('./d.js');\nexport const a = b;\n",
      'b.ts': "export { b } from './e.js';\n",
      'e.ts': "import { z } from 'zod';\nexport const b = z;\n",
      'c.ts': "import { z } from 'zod';\nexport type C = typeof z;\n",
      'd.ts': "import { z } from 'zod';\nexport const d = z;\n",
    });
    const g = importGraph(root);
    expect(reachable(g, 'a.ts', EAGER_KINDS).get('zod')?.map(edgeLocation)).toEqual(['a.ts:1:19', 'b.ts:1:19', 'e.ts:1:19']);
    expect(reachable(g.filter((e) => e.from !== 'b.ts'), 'a.ts', EAGER_KINDS).has('zod')).toBe(false);
  });

  // Fixture trees on disk, read by the same compiler-based reader as src/.
  it('catches a deliberately added cycle made only of type imports (inline import() types included)', () => {
    const root = tempDir({
      'errors.ts': "export interface Issue { origin?: import('./tree/origins.js').Origin }\n",
      'tree/origins.ts': "import type { Issue } from '../errors.js';\nexport interface Origin { issue?: Issue }\n",
      'tree/path.ts': "import { x } from './other.js';\nexport const y = x;\n",
    });
    const g = importGraph(root);
    const cycles = findCycles(g.filter((e) => !e.external));
    expect(cycles.map(describeCycle)).toEqual([
      "errors.ts\n    → tree/origins.ts  (errors.ts:1:42 inline import() type './tree/origins.js')\n    → errors.ts  (tree/origins.ts:1:28 import type '../errors.js')",
    ]);
    // A specifier that resolves to no file still counts, as an edge to the missing path.
    expect(g).toContainEqual(expect.objectContaining({ from: 'tree/path.ts', to: 'tree/other.js', kind: 'import' }));
  });

  it('catches a deliberately added upward type import, in each form, with file:line', () => {
    const root = tempDir({
      'tree/merge.ts': [
        "import type { Layer } from '../providers/provider.js';",
        "import { type Limits } from '../providers/limits.js';",
        "export type { Provider } from '../providers/provider.js';",
        "export type L = import('../providers/provider.js').Layer & Layer & Limits;",
        "export const later = () => import('../providers/provider.js');",
        "import fs from 'node:fs';",
        '',
      ].join('\n'),
      'providers/provider.ts': "import type { L } from '../tree/merge.js';\nexport interface Layer { l?: L }\nexport interface Provider {}\n",
      'providers/limits.ts': 'export interface Limits {}\n',
    });
    const g = importGraph(root);
    const order: Layer[] = [
      { name: 'tree', modules: ['tree/'] },
      { name: 'providers', modules: ['providers/'] },
    ];
    expect(upwardImports(g, order).map((v) => v.message)).toEqual([
      `tree/merge.ts:1:28 import type '../providers/provider.js': layer "tree" imports providers/provider.ts from the higher layer "providers"`,
      `tree/merge.ts:2:29 import '../providers/limits.js': layer "tree" imports providers/limits.ts from the higher layer "providers"`,
      `tree/merge.ts:3:31 export type from '../providers/provider.js': layer "tree" imports providers/provider.ts from the higher layer "providers"`,
      `tree/merge.ts:4:24 inline import() type '../providers/provider.js': layer "tree" imports providers/provider.ts from the higher layer "providers"`,
      `tree/merge.ts:5:35 dynamic import() '../providers/provider.js': layer "tree" imports providers/provider.ts from the higher layer "providers"`,
    ]);
    expect(g.filter((e) => e.external)).toEqual([expect.objectContaining({ from: 'tree/merge.ts', to: 'node:fs', line: 6 })]);
    expect(findCycles(g).map(describeCycle)).toHaveLength(1);
  });
});
