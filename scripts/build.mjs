/**
 * `npm run build`: type declarations from tsc, JavaScript from esbuild.
 *
 * Why a bundle: each ES module costs a file open, read and compile at import, and on these
 * machines that adds up to more than confstack's own work (measured: importing the ~45 modules
 * tsc emits took ~30 ms, the bundle ~16 ms). Code splitting keeps the lazy parts lazy (formats,
 * the zod schema, etcd, CLI commands load on first use).
 *
 * Readable output: what ships is what a user sees in a stack trace, and what Node prints as the
 * source line of an uncaught throw. So no minification at all: one statement per line, indented,
 * names as written (esbuild renames only on a clash between modules, `foo2`). Source maps carry
 * `sourcesContent`, so `node --enable-source-maps` shows `src/…ts:line` although src/ is not
 * published; declaration maps are not emitted, as they would point into src/.
 * What it costs, measured (CPU over `node -e 0`, medians of 80 interleaved runs,
 * `node scripts/import-time.mjs`): importing `confstack` +16.1 ms readable, +15.2 ms with only
 * `minifySyntax` (which joins statements with commas), +14.6 ms fully minified: the same seven
 * module files, and V8 compiles function bodies lazily, so only the scan of the extra text counts.
 *
 * Two builds. The library keeps every dependency external, so the app's own copies are used and
 * one module instance serves all entry points. The CLI is a program: it inlines its small parsers
 * (js-yaml, smol-toml). One build for both would halve the tarball (the CLI's copy of the core
 * and its maps go), but it splits the core into finer shared chunks: importing `confstack` then
 * loads twelve files instead of seven and cost +23.1 ms instead of +17.3 ms.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies });
/** esbuild's `external` for every dependency but `inline`. */
const externalExcept = (...inline) => dependencies.filter((name) => !inline.includes(name)).flatMap((name) => [name, `${name}/*`]);

const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: true,
  minify: false,
  logLevel: 'warning',
};

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`, '--emitDeclarationOnly'], { stdio: 'inherit' });

await build({
  ...common,
  entryPoints: {
    ...Object.fromEntries(['index', 'testing/index', 'testing/contract', 'remote/etcd/index', 'operator/explorer/index'].map((e) => [e, `src/${e}.ts`])),
    'presets/framework/schema': 'src/presets/framework/schema.ts', // confstack/schema (the zod framework schema)
  },
  chunkNames: 'chunks/[name]-[hash]',
  external: externalExcept(),
});

await build({
  ...common,
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  chunkNames: 'cli/chunks/[name]-[hash]',
  external: externalExcept('js-yaml', 'smol-toml'),
});
