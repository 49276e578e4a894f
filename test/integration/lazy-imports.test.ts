/**
 * Importing `confstack` must not load etcd3, chokidar, an OpenTelemetry SDK, zod or the YAML/TOML
 * parsers, and a default load (framework validation included) must not load zod either: a
 * resolve hook (module.register) logs every bare specifier the import resolves.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolutionsOf } from '../support/hooked-node.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every bare specifier (a package) that `code` resolves in a fresh node. */
function specifiers(code: string): string[] {
  return resolutionsOf(code)
    .map((r) => r.specifier)
    .filter((s) => !/^(\.|\/|node:|file:)/.test(s));
}

/** The files of confstack's dist/ that `code` loads in a fresh node, hashes dropped, in load order. */
function distFiles(code: string): string[] {
  const files = resolutionsOf(code)
    .filter((r) => r.url.includes('/dist/'))
    .map((r) => r.url.replace(/^.*\/dist\//, '').replace(/-[\w-]{8}\.js$/, '.js'));
  return [...new Set(files)];
}

const HEAVY = [/^etcd3$/, /^chokidar/, /^jiti/, /^@opentelemetry\/sdk-/, /^zod/, /^yaml$/, /^js-yaml$/, /^smol-toml$/, /^@grpc\//];

describe('import cost guard', () => {
  it('loads none of the heavy optional packages when importing confstack', () => {
    const loaded = specifiers(`await import('confstack');`);
    expect(loaded).toContain('confstack');
    expect(loaded.filter((s) => HEAVY.some((re) => re.test(s)))).toEqual([]);
  });

  // Each file is a resolve, a read and a compile: the entry re-exports one core chunk, which holds
  // every module the entry needs (scripts/build.mjs), confstack/registry's included.
  it('reads two files of confstack when importing it: the entry and the core chunk', () => {
    expect(distFiles(`await import('confstack');`)).toEqual(['index.js', 'chunks/core.js']);
  });

  it('validates a default load with the framework rules without loading zod, js-yaml or the other parsers', () => {
    const loaded = specifiers(`
      const { loadConfig, memoryProvider } = await import('confstack');
      const bad = await loadConfig({ sources: [memoryProvider({ agents: [{ name: 'a', llm_provider_name: 'nope' }] })] }).then(
        () => 'loaded',
        (err) => err.issues.map((i) => i.code).join(','),
      );
      if (bad !== 'unknown_llm_provider') throw new Error('framework rules not applied: ' + bad);
      const config = await loadConfig({ sources: [memoryProvider({ tools: [{ name: 't', provider: 'p' }] })] });
      if (config.getToolConfig('t').enabled !== true) throw new Error('defaults not applied');`);
    expect(loaded).toContain('confstack');
    expect(loaded.filter((s) => s.startsWith('zod') || /^(js-yaml|yaml|smol-toml|etcd3)$/.test(s))).toEqual([]);
  });

  it('checks env variables of a default load without loading zod', () => {
    const snippet = (env: Record<string, string>, expected: number) => `
      const { loadConfig, memoryProvider, envProvider } = await import('confstack');
      const file = { server: { port: 1 }, llm_providers: [{ name: 'openai', provider: 'openai', model_name: 'm' }] };
      const env = ${JSON.stringify(env)};
      const config = await loadConfig({ sources: [envProvider({ env }), memoryProvider(file)] });
      if (config.warnings.length !== ${expected}) throw new Error(JSON.stringify(config.warnings));`;
    const quiet = specifiers(snippet({ CONFSTACK_SERVER__PORT: '2', CONFSTACK_SERVER__HOST: 'h', CONFSTACK_LLM_PROVIDERS__OPENAI__MODEL_NAME: 'x', CONFSTACK_LLM_PROVIDERS__OPNAI__PROVIDER: 'p', CONFSTACK_LLM_PROVIDERS__OPNAI__MODEL_NAME: 'm' }, 2));
    expect(quiet.filter((s) => s.startsWith('zod'))).toEqual([]);
    // A variable outside the schema and outside every file section: the preset's generated JSON Schema, still no zod.
    expect(specifiers(snippet({ CONFSTACK_SERVR__PORT: '2' }, 1)).filter((s) => s.startsWith('zod'))).toEqual([]);
  });

  it('loads zod when the zod framework schema is asked for', () => {
    const loaded = specifiers(`
      const { loadFrameworkSchema } = await import('confstack');
      const schema = await loadFrameworkSchema();
      if (!schema.safeParse({}).success) throw new Error('not the zod schema');`);
    expect(loaded.some((s) => s.startsWith('zod'))).toBe(true);
  });

  it('keeps vitest out of confstack/testing (only confstack/testing/contract needs it)', () => {
    expect(specifiers(`await import('confstack/testing');`)).not.toContain('vitest');
    expect(specifiers(`await import('confstack/testing/contract');`)).toContain('vitest');
  });

  it('keeps etcd3 out of confstack/etcd until a provider connects', () => {
    const loaded = specifiers(`const { etcdProvider } = await import('confstack/etcd'); etcdProvider({ endpoints: ['http://127.0.0.1:1'], prefix: '/x' });`);
    expect(loaded).not.toContain('etcd3');
  });

  it('loads jiti only for a TypeScript project file (the CLI reads .mjs with import())', () => {
    const run = (file: string) =>
      specifiers(`
        process.argv = [process.argv[0], 'confstack', 'docs', '--project', ${JSON.stringify(join(ROOT, file))}];
        await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/main.js')).href)});`);
    expect(run('test/fixtures/projects/no-json-schema/confstack.config.mjs')).not.toContain('jiti');
    expect(run('examples/typed-service/confstack.config.ts')).toContain('jiti');
  });
});
