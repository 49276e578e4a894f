/**
 * The installed package at run time, on the Node that runs this file (`npm test` runs it on
 * Node 20, 22 and 24): the README's code as plain ESM, `require('confstack')` from CommonJS, the
 * `confstack` bin, and what a user sees when a ConfigError reaches the top level.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsBlocks } from '../integration/doc-blocks.js';
import { childEnv, type Packed, packAndInstall, removePacked, ROOT } from './packed.js';

let packed: Packed;
beforeAll(() => {
  packed = packAndInstall();
}, 120_000);
afterAll(() => removePacked(packed));

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** require(esm) without a flag: Node 20.19+, 22.12+, 23+. */
const requireEsm = major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

/** Runs `node <args>` (this Node) in the consumer project, or in `cwd`. */
function node(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd ?? packed.project, env: childEnv(opts.env), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `text` into the consumer project (directories made as needed); returns the path. */
function write(name: string, text: string): string {
  const file = join(packed.project, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe(`the installed package on Node ${process.versions.node}`, () => {
  const runnable = tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((b) => b.run);

  it('has README blocks to run', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });

  // Compiled to plain ESM (types erased, nothing else) and run by this Node, no loader.
  it.each(runnable.map((b) => [b.line, b] as const))('runs the README block at line %i as ESM', (_line, b) => {
    const js = ts.transpileModule(b.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
    const file = write(`readme/block-line-${b.line}.mjs`, `${js.outputText}\nexport {};\n`);
    const r = node([file], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  // One test, two expectations: every Node this suite runs on (20.19+, 22.12+, 24) has
  // require(esm); an older one must refuse plainly rather than half-load.
  it(`require() from CommonJS ${requireEsm ? 'loads the package (require(esm), no flag)' : 'is refused with ERR_REQUIRE_ESM (no require(esm) here)'}`, () => {
    if (!requireEsm) {
      const r = node([write('cjs/old.cjs', `require('confstack');`)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ERR_REQUIRE_ESM');
      return;
    }
    const file = write(
      'cjs/main.cjs',
      `const { loadConfig, memoryProvider, isConfigError } = require('confstack');
       const { FrameworkConfigSchema } = require('confstack/schema');
       const { mockProvider } = require('confstack/testing');
       loadConfig({ sources: [memoryProvider({ server: { port: 8080 } })], schema: false }).then((config) => {
         console.log(config.get('server.port'), typeof FrameworkConfigSchema.parse, typeof mockProvider, isConfigError(new Error()));
       });`,
    );
    const r = node([file]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('8080 function function false');
  });

  it('runs the confstack bin of the installed package', () => {
    const bin = join(packed.project, 'node_modules/.bin/confstack');
    const version = spawnSync(bin, ['--version'], { env: childEnv(), encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const validate = spawnSync(bin, ['validate', '-c', join(ROOT, 'examples/config/config.yaml')], {
      cwd: packed.project,
      env: childEnv({ OPENAI_API_KEY: 'sk-test' }),
      encoding: 'utf8',
    });
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('configuration is valid');
    expect(validate.status).toBe(0);
  });
});

const CANARY = 'sk-CANARY-5f0e7d9c';
/** A user's module head: loadConfig and a zod schema with a URL and a secret. */
const DB_SCHEMA = `import { Loader, loadConfig } from 'confstack';
import { z } from 'zod';
const schema = z.object({ db: z.object({ url: z.url(), password: z.string() }) });
`;

describe(`an uncaught ConfigError on Node ${process.versions.node}`, () => {
  it('prints the compiler-style report, secrets masked, with no long line', () => {
    const dir = join(packed.project, 'uncaught-url');
    write('uncaught-url/config.yaml', `server:\n  port: 8080\ndb: { url: not-a-url, password: ${CANARY} }\n`);
    const main = write('uncaught-url/main.mjs', `${DB_SCHEMA}\nawait loadConfig({ configPaths: [${JSON.stringify(dir)}], env: {}, schema });\n`);
    const r = node([main]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ConfigError: validate: 1 validation issue; first: .* \[validation_failed\]$/m);
    // The located line of each issue, as the CLI prints it (without the source line: stderr is
    // a log), then the stack down to the user's line.
    expect(r.stderr).toContain(`\n${join(dir, 'config.yaml')}:3:7: db.url: Invalid URL [invalid_format]\n    at `);
    expect(r.stderr).toMatch(/^ {4}at .*uncaught-url\/main\.mjs:5:/m);
    expect(r.stderr).not.toContain(CANARY);
    expect(r.stderr).not.toContain('undefined');
    expect(longest(r.stderr)).toBeLessThan(220);
  });

  it('stays bounded and readable with 500 issues', () => {
    const dir = join(packed.project, 'uncaught-500');
    write('uncaught-500/config.yaml', `items:\n${Array.from({ length: 500 }, (_, i) => `  - not-a-number-${i}\n`).join('')}`);
    const main = write(
      'uncaught-500/main.mjs',
      `import { loadConfig } from 'confstack';
       import { z } from 'zod';
       await loadConfig({ configPaths: [${JSON.stringify(dir)}], env: {}, schema: z.object({ items: z.array(z.number()) }) });`,
    );
    const r = node([main]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('500 validation issues');
    expect(r.stderr).not.toContain('not-a-number-0');
    expect(r.stderr).toContain(`${join(dir, 'config.yaml')}:2:5: items.0:`);
    expect(r.stderr).toContain('… and 480 more issues');
    expect(r.stderr).not.toContain('items.20:');
    expect(r.stderr.split('\n').length).toBeLessThan(60);
    expect(longest(r.stderr)).toBeLessThan(220);
  });

  it("keeps the stack of an error thrown in the user's schema refinement, pointing at the user's file", () => {
    const dir = join(packed.project, 'uncaught-refine');
    write('uncaught-refine/config.yaml', 'port: 8080\n');
    write(
      'uncaught-refine/schema.mjs',
      `import { z } from 'zod';\nexport const schema = z.object({\n  port: z.number().refine((port) => {\n    throw new RangeError('port check crashed');\n  }),\n});\n`,
    );
    const load = `import { loadConfig } from 'confstack';
       import { schema } from './schema.mjs';
       const load = () => loadConfig({ configPaths: [${JSON.stringify(dir)}], env: {}, schema });`;
    const uncaught = node([write('uncaught-refine/main.mjs', `${load}\nawait load();\n`)]);
    expect(uncaught.code).toBe(1);
    expect(uncaught.stderr).toContain('[invalid_parameters]');
    expect(uncaught.stderr).toMatch(/at .*uncaught-refine\/schema\.mjs:4:11/);
    // Caught and logged: the inspect form names the cause and keeps its frames.
    const logged = node([write('uncaught-refine/log.mjs', `${load}\nawait load().catch((err) => console.error(err));\n`)]);
    expect(logged.stderr).toMatch(/^ {2}\[cause\] RangeError$/m);
    expect(logged.stderr).toMatch(/^ {4}at .*uncaught-refine\/schema\.mjs:4:11/m);
    expect(logged.stderr).not.toContain('port check crashed');
  });

  it('names a cause that is not an Error by its type, without printing it', () => {
    const dir = join(packed.project, 'uncaught-string-cause');
    write('uncaught-string-cause/config.yaml', 'port: 8080\n');
    const main = write(
      'uncaught-string-cause/main.mjs',
      `import { loadConfig } from 'confstack';
       import { z } from 'zod';
       const schema = z.object({ port: z.number().refine(() => { throw ${JSON.stringify(CANARY)}; }) });
       await loadConfig({ configPaths: [${JSON.stringify(dir)}], env: {}, schema }).catch((err) => {
         console.error(err);
         console.error(JSON.stringify(err));
       });`,
    );
    const r = node([main]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[cause] a thrown string (not an Error)');
    expect(r.stderr).toContain('"cause":{"name":"string"}');
    expect(r.stderr).not.toContain(CANARY);
  });

  it('Loader#mustLoad prints the report without a stack and exits with status 1', () => {
    const dir = join(packed.project, 'must-load');
    write('must-load/config.yaml', `db:\n  url: not-a-url\n  password: ${CANARY}\n`);
    const main = write('must-load/main.mjs', `${DB_SCHEMA}\nawait new Loader({ configPaths: [${JSON.stringify(dir)}], env: {}, schema }).mustLoad();\nconsole.log('not reached');\n`);
    const r = node([main]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(dir, 'config.yaml')}:2:3: db.url: Invalid URL [invalid_format]\n  2 |   url: not-a-url`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain(CANARY);
  });
});
