import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/foundation/errors.js';
import { resolveSources } from '../src/core/load.js';
import { loadConfig, loadFromSources } from '../src/presets/framework/api.js';
import { compositeProvider } from '../src/providers/composite.js';
import { envProvider } from '../src/providers/env.js';
import { fileProvider } from '../src/providers/file.js';
import { defaultsProvider, memoryProvider } from '../src/providers/memory.js';
import { defineProvider, type Provider } from '../src/providers/provider.js';
import { expectConfigError } from './support/errors.js';
import { tempDir } from './support/temp.js';

const YAML = `server:
  port: 8080
  host: localhost
llm_providers:
  - name: openai
    provider: openai
    model_name: gpt-4o
    api_key: \${OPENAI_KEY:-none}
`;

const failing = (name: string, retryable: boolean): Provider =>
  defineProvider({
    name,
    type: 'remote',
    load: () => {
      throw new ConfigError({ op: 'load', code: retryable ? 'provider_unavailable' : 'parse_failed', message: 'down', provider: name });
    },
  });

describe('loadConfig', () => {
  it('searches configPaths, layers env over the file, and explains each value', async () => {
    const dir = tempDir({ 'config/config.yaml': YAML });
    const config = await loadConfig({
      configPaths: [join(dir, 'config')],
      env: { CONFSTACK_SERVER__PORT: '9090', OPENAI_KEY: 'sk-test' },
      schema: false,
    });
    expect(config.get('server.port')).toBe(9090);
    expect(config.getString('llm_providers[0].api_key')).toBe('sk-test');
    expect(config.explain('server.port')).toEqual({ provider: 'env:CONFSTACK', type: 'env', location: 'CONFSTACK_SERVER__PORT' });
    expect(config.explain('server.host')).toMatchObject({ type: 'file', location: join(dir, 'config', 'config.yaml'), line: 3, column: 3 });
    expect(config.explain('llm_providers.0.model_name')).toMatchObject({ line: 7 });
    expect(config.sources().map((s) => [s.type, s.status])).toEqual([
      ['env', 'loaded'],
      ['file', 'loaded'],
    ]);
  });

  it('layers the profile file over the base file', async () => {
    const dir = tempDir({ 'config.yaml': 'a: 1\nb: 1\n', 'config.prod.json': '{"b": 2}' });
    const config = await loadConfig({ configPaths: [dir], profile: 'prod', env: {}, schema: false });
    expect(config.value).toEqual({ a: 1, b: 2 });
    expect(config.explain('b')?.location).toBe(join(dir, 'config.prod.json'));
    expect(config.explain('a')?.location).toBe(join(dir, 'config.yaml'));
  });

  it('starts from nothing when no file exists (the default file source is optional)', async () => {
    const config = await loadConfig({ configPaths: [tempDir()], env: {}, schema: false });
    expect(config.value).toEqual({});
    expect(config.sources().map((s) => s.status)).toEqual(['empty', 'empty']);
  });

  it('fails with file_not_found naming an explicit config path that does not exist (a typo is not an empty config)', async () => {
    const typo = join(tempDir(), 'confg');
    const err = await expectConfigError(loadConfig({ configPaths: [typo], env: {}, schema: false }), { code: 'file_not_found', file: typo });
    expect(err.message).toContain(typo);
    // One existing directory does not hide a typo next to it.
    const dir = tempDir({ 'config.yaml': 'a: 1\n' });
    await expectConfigError(loadConfig({ configPaths: [dir, typo], env: {}, schema: false }), { code: 'file_not_found', file: typo });
    // A file where a directory belongs is as wrong.
    await expectConfigError(loadConfig({ configPaths: [join(dir, 'config.yaml')], env: {}, schema: false }), { code: 'file_not_found' });
  });

  it('keeps the default search lenient: a missing ./config is no error', async () => {
    const sources = await resolveSources({ env: {} });
    const file = sources.find((p) => p.type === 'file')!;
    const cwd = process.cwd();
    process.chdir(tempDir());
    try {
      expect((await file.load({})).values).toEqual({});
    } finally {
      process.chdir(cwd);
    }
  });

  it('applies the framework defaults with validate: false (setDefaults is independent of validation)', async () => {
    const dir = tempDir({ 'config.yaml': 'agents:\n  - name: a\n    llm_provider_name: nowhere\nserver:\n  port: not-a-number\n' });
    const config = await loadConfig({ configPaths: [dir], env: {}, validate: false });
    expect(config.get('agents[0].max_iterations')).toBe(10);
    expect(config.get('tools')).toEqual([]);
    expect(config.get('server.port')).toBe('not-a-number'); // nothing validated
    expect(config.explain('agents[0].max_iterations')).toEqual({ provider: 'schema', type: 'defaults' });
    const bare = await loadConfig({ configPaths: [dir], env: {}, validate: false, setDefaults: false });
    expect(bare.get('agents[0].max_iterations')).toBeUndefined();
  });

  it('applies a custom schema\'s defaults with validate: false, without validating', async () => {
    const { z } = await import('zod');
    const schema = z.object({ server: z.object({ port: z.number().default(8080), host: z.string() }).default({ host: 'h' } as { host: string; port: number }), name: z.string().default('app') });
    const config = await loadFromSources([memoryProvider({ name: 42 })], { schema, validate: false });
    expect(config.value).toEqual({ name: 42, server: { host: 'h', port: 8080 } });
    const invalid = await loadFromSources([memoryProvider({ server: { host: 1 } })], { schema, validate: false });
    expect(invalid.value).toEqual({ server: { host: 1, port: 8080 }, name: 'app' });
  });

  it('a provider that flags its own kept data owned keeps working: nothing of it is frozen or mutated, its next load succeeds', async () => {
    const kept: Record<string, unknown> = { server: { port: 1 }, list: [{ name: 'a', v: 1 }] };
    let loads = 0;
    const p = defineProvider({
      name: 'keeper',
      type: 'custom',
      load: () => {
        loads++;
        (kept.server as Record<string, unknown>).port = loads; // mutates what it handed out last time
        return { values: kept, owned: true };
      },
    });
    const first = await loadFromSources([memoryProvider({ list: [{ name: 'a', w: 2 }] }), p], { schema: false });
    expect(first.get('server.port')).toBe(1);
    expect(Object.isFrozen(kept)).toBe(false);
    expect(Object.isFrozen(kept.server)).toBe(false);
    expect(kept.list).toEqual([{ name: 'a', v: 1 }]); // the upper layer merged into a copy
    const second = await loadFromSources([p], { schema: false });
    expect(second.get('server.port')).toBe(2);
    expect(first.get('server.port')).toBe(1); // a snapshot is unaffected by the provider's later writes
  });

  it('applies the framework schema by default and fills its defaults', async () => {
    const dir = tempDir({ 'config.yaml': YAML });
    const config = await loadConfig({ configPaths: [dir], env: {} });
    const p = config.getLLMProviderConfig('openai');
    expect(p.default_call_options).toMatchObject({ temperature: 0.7, max_tokens: 1000 });
    expect(config.explain('llm_providers.0.default_call_options.temperature')).toEqual({ provider: 'schema', type: 'defaults' });
    expect(Object.isFrozen(config.value)).toBe(true);
    expect(Object.isFrozen(config.value.llm_providers[0])).toBe(true);
  });

  it('points a validation issue at the env var that set the bad value', async () => {
    const dir = tempDir({ 'config.yaml': YAML.replace('gpt-4o', 'gpt') });
    const err = await expectConfigError(
      loadConfig({ configPaths: [dir], env: { CONFSTACK_AGENTS__HELPER__LLM_PROVIDER_NAME: 'missing' } }),
      { code: 'validation_failed' },
    );
    const issue = err.issues?.find((i) => i.path.startsWith('agents.0'));
    expect(issue?.origin).toMatchObject({ type: 'env' });
  });

  it('coerces env strings to the type of the file value under them, naming the var on failure', async () => {
    const dir = tempDir({ 'config.yaml': YAML });
    await expectConfigError(loadConfig({ configPaths: [dir], env: { CONFSTACK_SERVER__PORT: 'abc' }, schema: false }), {
      code: 'type_mismatch',
      source: /CONFSTACK_SERVER__PORT/,
    });
  });

  it('reports a missing ${VAR} with the file and line of the string', async () => {
    const dir = tempDir({ 'config.yaml': 'a:\n  url: http://${NOPE_HOST}/x\n' });
    const err = await expectConfigError(loadConfig({ configPaths: [dir], env: {}, schema: false }), {
      code: 'interpolation_failed',
      file: /config\.yaml$/,
      line: 2,
      column: 3,
    });
    expect(err.context?.variable).toBe('NOPE_HOST');
  });

  it('rejects forbidden keys from a file with their position', async () => {
    const dir = tempDir({ 'config.json': '{\n  "a": {"__proto__": {"x": 1}}\n}' });
    await expectConfigError(loadConfig({ configPaths: [dir], env: {}, schema: false }), { code: 'forbidden_key', line: 2 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('loadFromSources', () => {
  it('honours priority order, highest first', async () => {
    const config = await loadFromSources(
      [memoryProvider({ a: 3 }, 'top'), memoryProvider({ a: 2, b: 2 }, 'mid'), defaultsProvider({ a: 1, b: 1, c: 1 })],
      { schema: false },
    );
    expect(config.value).toEqual({ a: 3, b: 2, c: 1 });
    expect(config.explain('c')).toEqual({ provider: 'defaults', type: 'defaults' });
    expect(config.explain('b')?.provider).toBe('mid');
  });

  it('fails with a required file missing, listing every path searched', async () => {
    const dir = tempDir({ 'x/other.txt': '' });
    const err = await expectConfigError(
      loadFromSources([fileProvider({ configName: 'app', configPaths: [dir, join(dir, 'x')] })], { schema: false }),
      { code: 'file_not_found' },
    );
    expect(err.context?.searched).toContain(join(dir, 'app.yaml'));
    expect(err.context?.searched).toContain(join(dir, 'x', 'app.toml'));
  });

  it('distinguishes a directory and an unsupported extension', async () => {
    const dir = tempDir({ 'sub/x.txt': 'a' });
    await expectConfigError(loadFromSources([fileProvider({ path: join(dir, 'sub') })], { schema: false }), { code: 'file_access_error' });
    await expectConfigError(loadFromSources([fileProvider({ path: join(dir, 'sub/x.txt') })], { schema: false }), { code: 'unsupported_format' });
  });

  it('wraps a provider that throws a non-Error into load_failed with its name', async () => {
    const bad = defineProvider({ name: 'weird', type: 'custom', load: () => Promise.reject('boom') });
    const err = await expectConfigError(loadFromSources([bad], { schema: false }), { code: 'load_failed' });
    expect(err.provider).toBe('weird');
    expect(err.cause).toBe('boom');
  });

  it('times out a provider that never answers', async () => {
    const hang = defineProvider({ name: 'hang', type: 'remote', load: () => new Promise(() => {}) });
    const err = await expectConfigError(loadFromSources([hang], { schema: false, providerTimeoutMs: 50 }), { code: 'remote_load_timeout' });
    expect(err.provider).toBe('hang');
  });

  it('with a composite fallback, skips retryable failures and reports them', async () => {
    const composite = compositeProvider([failing('etcd', true), memoryProvider({ a: 1 }, 'local')], { fallback: true });
    const config = await loadFromSources([composite], { schema: false });
    expect(config.value).toEqual({ a: 1 });
    expect(config.sources()).toMatchObject([
      { name: 'etcd', status: 'skipped', error: { code: 'provider_unavailable' } },
      { name: 'local', status: 'loaded' },
    ]);
  });

  it('never skips a non-retryable failure, and fails when every provider failed', async () => {
    await expectConfigError(loadFromSources([compositeProvider([failing('a', false), memoryProvider({})], { fallback: true })], { schema: false }), {
      code: 'parse_failed',
    });
    const err = await expectConfigError(
      loadFromSources([compositeProvider([failing('a', true), failing('b', true)], { fallback: true })], { schema: false }),
      { code: 'all_providers_failed' },
    );
    expect((err.cause as AggregateError).errors).toHaveLength(2);
  });

  it('stops at an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expectConfigError(loadFromSources([memoryProvider({ a: 1 })], { schema: false, signal: ac.signal }), { code: 'load_failed' });
  });

  it('gives an env source inside a composite the values below it', async () => {
    const composite = compositeProvider([envProvider({ prefix: 'APP', env: { APP_DB__PORT: '7' } }), memoryProvider({ db: { port: 5 } })]);
    const config = await loadFromSources([composite], { schema: false });
    expect(config.get('db.port')).toBe(7);
    expect(config.explain('db.port')).toMatchObject({ type: 'env', location: 'APP_DB__PORT' });
  });
});

describe('resolveSources', () => {
  it('defaults to env over an optional file search', async () => {
    const sources = await resolveSources({ envPrefix: 'MYAPP', env: {} });
    expect(sources.map((s) => s.type)).toEqual(['env', 'file']);
    expect(sources[0]!.name).toBe('env:MYAPP');
  });
});
