/**
 * `npm run build`: type declarations from tsc, JavaScript from esbuild.
 *
 * Why a bundle: each ES module costs a file open, read and compile at import, and on these
 * machines that adds up to more than confstack's own work (measured: importing the ~45 modules
 * tsc emits took ~30 ms, the bundle ~17 ms). Code splitting keeps the lazy parts lazy (formats,
 * the zod schema, etcd, the CLI commands load on first use) and shares one module instance of
 * everything between entry points. Dependencies stay external (the app's own copies are used),
 * except commander: only the CLI uses it, and inlined it spares the CLI's cold start ~9 file loads.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['index', 'cli/main', 'schema/index', 'testing/index', 'etcd/index'];
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const INLINED = new Set(['commander']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies })
  .filter((name) => !INLINED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`, '--emitDeclarationOnly'], { stdio: 'inherit' });
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(entries.map((e) => [e, `src/${e}.ts`])),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Inlined CommonJS (commander) requires Node built-ins; ES modules have no `require` of their own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
