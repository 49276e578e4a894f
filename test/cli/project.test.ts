/**
 * The project file through the built CLI in child processes: found in the cwd or given by
 * --project (also outside the cwd), used by every command, and every bad project file a usage
 * error (exit 2) naming the file. Projects live in scratch packages whose node_modules link to
 * this checkout, so `import 'confstack'` and `import 'zod'` resolve as they would for a user.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchPackage } from '../integration/doc-blocks.js';
import { assertBuilt, confstack, hasStackTrace, startCli } from './cli-process.js';

const SCHEMA = `
import { z } from 'zod';
export const AppSchema = z.object({
  server: z.object({ host: z.string().default('127.0.0.1'), port: z.int().min(1).max(65535).default(8080).describe('TCP port') }).prefault({}),
  db: z.object({ url: z.string().meta({ secret: true }) }),
});
`;
const CONFIG_YAML = 'server:\n  port: 8081\ndb:\n  url: postgres://app:hunter2-db-pass@db/app\n';

/** A scratch package holding `files` (path -> text). */
function project(files: Record<string, string>): string {
  const dir = scratchPackage();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

beforeAll(() => assertBuilt());

describe('confstack with a project file', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({
      'schema.ts': SCHEMA,
      'confstack.config.ts': `import { defineConfig } from 'confstack';\nimport { AppSchema } from './schema.js';\nconst prefix: string = 'SHOP';\nexport default defineConfig({ schema: AppSchema, envPrefix: prefix });\n`,
      'config/config.yaml': CONFIG_YAML,
    });
  });

  it('print shows only the schema\'s keys, with the secret-marked field redacted', () => {
    const r = confstack(['print', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ server: { host: '127.0.0.1', port: 8081 }, db: { url: '[REDACTED]' } });
  });

  it('get, explain, health, schema and docs use the project\'s schema and env prefix', () => {
    expect(confstack(['get', 'server.port'], { cwd: dir, env: { SHOP_SERVER__PORT: '9000' } }).stdout).toBe('9000\n');
    const explain = confstack(['explain', 'db.url'], { cwd: dir });
    expect(explain.stdout).toMatch(/^db\.url = \[REDACTED\]\n {2}set by .*config\.yaml:4:3/);
    expect(confstack(['health'], { cwd: dir }).code).toBe(0);
    const schema = JSON.parse(confstack(['schema'], { cwd: dir }).stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['server', 'db']);
    const docs = confstack(['docs'], { cwd: dir }).stdout;
    expect(docs).toContain('| `server.port` | integer | no | `8080` |  | `SHOP_SERVER__PORT` | TCP port |');
    expect(docs).toContain('| `db.url` | string | yes |  | yes | `SHOP_DB__URL` |  |');
  });

  it('validate fails with the schema\'s own located issues, and prints env warnings', () => {
    const r = confstack(['validate'], { cwd: dir, env: { SHOP_SERVER__PORT: '70000', SHOP_SERVR__HOST: 'x' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/env SHOP_SERVER__PORT: server\.port: Too big/);
    expect(r.stderr).toMatch(/warning: SHOP_SERVR__HOST sets "servr\.host".*did you mean SHOP_SERVER__HOST\?/);
    expect(r.stderr).not.toContain('hunter2');
    // --json: the warnings sit beside the error in one JSON body on stderr.
    const json = confstack(['validate', '--json'], { cwd: dir, env: { SHOP_SERVER__PORT: '70000', SHOP_SERVR__HOST: 'x' } });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({
      error: { code: 'validation_failed', issues: [expect.objectContaining({ path: 'server.port' })] },
      warnings: [{ code: 'unknown_env_var', location: { source: 'env SHOP_SERVR__HOST', key: 'servr.host' } }],
    });
    expect(json.stderr).not.toContain('hunter2');
  });

  it('validate --strict turns warnings into exit 1; without --strict they do not fail', () => {
    const env = { SHOP_SERVR__HOST: 'x' };
    const lax = confstack(['validate'], { cwd: dir, env });
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(/configuration is valid .*1 warning/);
    const strict = confstack(['validate', '--strict'], { cwd: dir, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/\[unknown_env_var\]/);
    const json = confstack(['validate', '--strict', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, warnings: [{ code: 'unknown_env_var', location: { source: 'env SHOP_SERVR__HOST', key: 'servr.host' }, suggestion: 'SHOP_SERVER__HOST' }] });
  });

  it('masks a secret-marked value in the source excerpt of an error', () => {
    const bad = project({
      'schema.ts': SCHEMA.replace('z.string().meta({ secret: true })', 'z.string().min(40).meta({ secret: true })'),
      'confstack.config.ts': "import { AppSchema } from './schema.js';\nexport default { schema: AppSchema };\n",
      'config/config.yaml': CONFIG_YAML,
    });
    const r = confstack(['validate'], { cwd: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.yaml:4:3: db\.url: too small/);
    expect(r.stderr).toMatch(/4 \| {3}url: \[REDACTED\]\n/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('watch starts on the project\'s sources', async () => {
    const cli = startCli(['watch'], { cwd: dir });
    await cli.waitFor(/watching env:SHOP, file:config/);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('--project finds a project outside the cwd; its relative config paths belong to it', () => {
    const elsewhere = project({});
    const r = confstack(['print', '--json', '--project', join(dir, 'confstack.config.ts')], { cwd: elsewhere });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ server: { port: 8081 } });
  });

  it('--env-prefix given on the command line wins over the project file', () => {
    expect(confstack(['get', 'server.port', '--env-prefix', 'OTHER'], { cwd: dir, env: { OTHER_SERVER__PORT: '7000', SHOP_SERVER__PORT: '9000' } }).stdout).toBe('7000\n');
  });
});

describe('confstack without a project file', () => {
  it('keeps today\'s behaviour: the framework schema and the default search', () => {
    const dir = project({ 'config.yaml': 'server:\n  port: 1\n' });
    const r = confstack(['print', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ server: { port: 1 }, llm_providers: [], tools: [] });
  });
});

describe('bad project files (exit 2, naming the file)', () => {
  it.each([
    ['throws', 'confstack.config.mjs', "throw new Error('boom sk-CANARY-in-project');\n", /project file failed to load: it threw Error/],
    ['imports a missing module', 'confstack.config.ts', "import { x } from 'no-such-package-xyz';\nexport default { schema: x };\n", /it imports "no-such-package-xyz", which cannot be found/],
    ['has a syntax error', 'confstack.config.mjs', 'export default {\n', /it has a syntax error/],
    ['has no default export', 'confstack.config.mjs', 'export const config = {};\n', /has no default export/],
    ['exports a function', 'confstack.config.mjs', 'export default () => ({});\n', /must be an object of load options .*got function/],
    ['exports a misspelt option', 'confstack.config.mjs', "export default { envPrefx: 'APP' };\n", /unknown option "envPrefx" \(did you mean "envPrefix"\?\)/],
    ['exports a schema that is not one', 'confstack.config.mjs', 'export default { schema: { parse() {} } };\n', /"schema" is not a Standard Schema/],
    ['exports sources that are not providers', 'confstack.config.mjs', "export default { sources: ['config.yaml'] };\n", /"sources" must be a list of providers/],
    ['exports an object whose getter throws', 'confstack.config.mjs', "export default { get schema() { throw new TypeError('sk-CANARY-getter'); } };\n", /default export could not be read: it threw TypeError/],
  ])('a project file that %s', (_what, name, text, message) => {
    const dir = project({ [name]: text });
    for (const command of ['validate', 'print', 'docs']) {
      const r = confstack([command], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(join(dir, name));
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('CANARY');
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it('--project naming a file that does not exist', () => {
    const r = confstack(['validate', '--project', 'nope/confstack.config.ts'], { cwd: project({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/project file not found: nope\/confstack\.config\.ts/);
  });

  it('-c with a project that lists its own sources', () => {
    const dir = project({ 'confstack.config.mjs': "import { memoryProvider } from 'confstack';\nexport default { schema: false, sources: [memoryProvider({ a: 1 })] };\n" });
    expect(JSON.parse(confstack(['print', '--json'], { cwd: dir }).stdout)).toEqual({ a: 1 });
    const r = confstack(['print', '-c', 'x.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-c cannot be combined with a project file that lists its own sources/);
  });
});
