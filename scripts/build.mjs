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
 * names as written (esbuild renames only on a clash between modules, `foo2`). It costs nothing
 * measurable: importing `confstack` took +17.2 to +21.3 ms of CPU over `node -e 0`, against
 * +20.0 to +21.6 ms for the whitespace- and syntax-minified bundle it replaced (medians of 40–60
 * interleaved runs, three sessions; `node scripts/import-time.mjs` compares builds). V8 scans
 * whitespace cheaply and compiles function bodies lazily either way. Source maps carry
 * `sourcesContent`, so `node --enable-source-maps` shows `src/…ts:line` although src/ is not
 * published; declaration maps are not emitted, as they would point into src/.
 *
 * One build for the library entry points and the CLI, every dependency external: the app's own
 * copies are used, one module instance serves all entry points, and the CLI shares the library's
 * chunks instead of shipping a second copy with its parsers inlined (that halved the tarball,
 * 704 KB to 373 KB; a cold `confstack validate` costs the same CPU either way, ~110 ms here).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }).flatMap((name) => [name, `${name}/*`]);

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`, '--emitDeclarationOnly'], { stdio: 'inherit' });

await build({
  absWorkingDir: root,
  entryPoints: {
    ...Object.fromEntries(['index', 'testing/index', 'testing/contract', 'etcd/index', 'cli/main'].map((e) => [e, `src/${e}.ts`])),
    'presets/framework/schema': 'src/presets/framework/schema.ts', // confstack/schema (the zod framework schema)
  },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  sourcesContent: true,
  minify: false,
  logLevel: 'warning',
});
