/**
 * `npm run build`: type declarations from tsc, JavaScript from rolldown.
 *
 * Why a bundle: each ES module costs a file resolve, read, compile and link at import, and on
 * these machines that adds up to more than confstack's own work (measured: the ~45 modules tsc
 * emits took ~30 ms to import). Why rolldown and two passes: the package has several entries
 * (`confstack`, `/testing`, `/etcd`, …) and lazy parts (formats, the zod schema, etcd, the
 * explorer, CLI commands). A bundler that splits by "which entries reach this module" (esbuild)
 * cut the code `confstack` imports into eight files, one per combination of entries; importing
 * them cost +29 ms over `node -e 0`. So the first pass finds what `import('confstack')` loads
 * (every module src/index.ts reaches statically) and the second puts exactly those modules in
 * one `core` chunk: `import('confstack')` reads two files, and every other entry and lazy chunk
 * shares that one module instance (one `ConfigError` class, one registry).
 *
 * Readable output: what ships is what a user sees in a stack trace, and what Node prints as the
 * source line of an uncaught throw. So no minification: one statement per line, names as
 * written. Source maps carry `sourcesContent`, so `node --enable-source-maps` shows
 * `src/…ts:line` although src/ is not published; declaration maps are not emitted, as they would
 * point into src/.
 *
 * ASCII output: V8 keeps a source that holds one non-ASCII character as two bytes per character,
 * and decoding and scanning it costs more (measured on the core chunk: ~1 ms of an import). rolldown's
 * `charset: 'ascii'` escapes strings and regular expressions; comments keep what they were written
 * with, so the asciiComments plugin spells their typography in ASCII (`→` as `->`), and fails the build on a
 * character it has no spelling for.
 *
 * Two builds. The library keeps every dependency external, so the app's own copies are used. The
 * CLI is a program: it inlines its small parsers (js-yaml, smol-toml) and has its own core chunk.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/`;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies });

/** rolldown's `external` for node: builtins and every dependency but `inline`. */
const externalExcept =
  (...inline) =>
  (id) =>
    id.startsWith('node:') || dependencies.some((name) => !inline.includes(name) && (id === name || id.startsWith(`${name}/`)));

/** The library's entries: `dist/<key>.js` for each public subpath (package.json `exports`). */
const LIBRARY_ENTRIES = {
  index: 'index.ts',
  'providers/index': 'providers/index.ts',
  'registry/index': 'registry/index.ts',
  'testing/index': 'testing/index.ts',
  'testing/contract': 'testing/contract.ts',
  'remote/etcd/index': 'remote/etcd/index.ts',
  'operator/explorer/index': 'operator/explorer/index.ts',
  'presets/framework/schema': 'presets/framework/schema.ts', // confstack/schema (the zod framework schema)
};

/**
 * Also in the core chunk: what every built-in format's parser shares (failure reports, the tree
 * check). In chunks of their own they were two more files to read for the first file a load
 * parses (measured: a first load ~1 ms faster), for ~8 KB more to compile at import.
 */
const CORE_EXTRAS = ['formats/failure.ts', 'formats/tree-check.ts'];

const withSrc = (entries) => Object.fromEntries(Object.entries(entries).map(([out, file]) => [out, `${src}${file}`]));

/** The modules `entry` loads statically: pass one, whose dynamic imports become their own chunks. */
async function staticModules(entry, external) {
  const bundle = await rolldown({ input: { main: entry }, platform: 'node', external, logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  // Shared parts come out as chunks of their own: follow the entry's static imports through them.
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const modules = new Set();
  const visit = (chunk) => {
    if (chunk === undefined || chunk.visited) return;
    chunk.visited = true;
    chunk.moduleIds.forEach((id) => modules.add(id));
    chunk.imports.forEach((file) => visit(chunks.get(file)));
  };
  visit([...chunks.values()].find((c) => c.isEntry));
  return modules;
}

/** Pass two: every entry, with `core` (what `coreEntry` loads statically) in one shared chunk. */
async function buildWith({ input, coreEntry, external, dir, chunkDir }) {
  const core = await staticModules(coreEntry, external);
  for (const extra of CORE_EXTRAS) core.add(`${src}${extra}`);
  // When coreEntry is an entry itself, its own module stays in its entry file (the CLI's main.ts
  // awaits at top level, and a lazy command chunk importing a core chunk still evaluating that
  // await would never settle). Other entries it imports (confstack/registry) stay in core: one
  // file fewer to read at import.
  if (Object.values(input).includes(coreEntry)) core.delete(coreEntry);
  const bundle = await rolldown({ input, platform: 'node', external, logLevel: 'warn', transform: { target: 'esnext' } });
  await bundle.write({
    dir: `${root}dist`,
    format: 'esm',
    sourcemap: true,
    minify: false,
    charset: 'ascii',
    plugins: [asciiComments],
    entryFileNames: `${dir}[name].js`,
    chunkFileNames: `${chunkDir}[name]-[hash].js`,
    codeSplitting: { groups: [{ name: 'core', test: (id) => core.has(id) }] },
  });
  await bundle.close();
}

/** How a comment's typography is spelt in ASCII (only comments hold any after `charset: 'ascii'`). */
const ASCII = { '…': '...', '→': '->', '↔': '<->', '–': '-', '—': '--', '±': '+/-', '≤': '<=', '≥': '>=', '·': '.', '×': 'x' };

/**
 * An output plugin: spells in ASCII the non-ASCII characters left in a chunk, which must sit in
 * comments: a line's own comment (`//`, `/*`) or a block comment's continuation line (` * …`).
 * Source maps stay true: code never follows such a comment on its line, so no mapped column moves.
 */
const asciiComments = {
  name: 'confstack:ascii-comments',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || !/[^\x00-\x7f]/.test(chunk.code)) continue;
      chunk.code = chunk.code
        .split('\n')
        .map((line, i) => {
          const at = line.search(/[^\x00-\x7f]/);
          if (at < 0) return line;
          const comment = /^\s*\*/.test(line) ? 0 : Math.min(...['//', '/*'].map((s) => line.indexOf(s)).filter((n) => n >= 0));
          const unknown = [...line].find((c) => c.charCodeAt(0) > 0x7f && !(c in ASCII));
          if (!(comment <= at) || unknown !== undefined) {
            throw new Error(`${chunk.fileName}:${i + 1}: a non-ASCII character ${unknown ? `(${unknown}) ` : ''}outside a comment or with no ASCII spelling; add it to ASCII in scripts/build.mjs`);
          }
          return line.replace(/[^\x00-\x7f]/g, (c) => ASCII[c]);
        })
        .join('\n');
    }
  },
};

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`, '--emitDeclarationOnly'], { stdio: 'inherit' });

await buildWith({
  input: withSrc(LIBRARY_ENTRIES),
  coreEntry: `${src}index.ts`,
  external: externalExcept(),
  dir: '',
  chunkDir: 'chunks/',
});
await buildWith({
  input: withSrc({ 'cli/main': 'cli/main.ts' }),
  coreEntry: `${src}cli/run.ts`, // what main.ts imports once the compile cache is on
  external: externalExcept('js-yaml', 'smol-toml'),
  dir: '',
  chunkDir: 'cli/chunks/',
});
