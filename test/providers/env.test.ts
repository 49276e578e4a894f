import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKey, envVarName, getEnvConfigMap } from '../../src/index.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider, type EnvProviderOptions } from '../../src/providers/env.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { CANARY, expectConfigError, expectNoSecret } from '../support/errors.js';
import { tempDir } from '../support/temp.js';

type Env = Record<string, string>;

/** Env over a memory layer, no schema: what the env provider alone makes of `env`. */
function load(env: Env, lower: Record<string, unknown> = {}, options: Omit<EnvProviderOptions, 'env'> = {}) {
  return loadConfig({ schema: false, env: {}, sources: [envProvider({ ...options, env }), memoryProvider(lower, 'lower')] });
}

describe('envProvider: prefix and nesting', () => {
  it('reads CONFSTACK_ by default, nests on __, and explains with the variable name', async () => {
    const config = await load({ CONFSTACK_SERVER__PORT: '9090', OTHER_SERVER__HOST: 'x' }, { server: { port: 1, host: 'h' } });
    expect(config.value).toEqual({ server: { port: 9090, host: 'h' } });
    expect(config.explain('server.port')).toEqual({ provider: 'env:CONFSTACK', type: 'env', location: 'CONFSTACK_SERVER__PORT' });
    expect(config.explain('server.host')?.provider).toBe('lower');
  });

  it('takes a custom prefix and ignores the default one', async () => {
    const config = await load({ MYAPP_SERVER__PORT: '9090', CONFSTACK_SERVER__HOST: 'ignored' }, {}, { prefix: 'MYAPP' });
    expect(config.value).toEqual({ server: { port: '9090' } });
    expect(config.explain('server.port')?.location).toBe('MYAPP_SERVER__PORT');
  });

  it('reads APP__X like APP_X (the double underscore after the prefix)', async () => {
    const config = await load({ APP__SERVER__PORT: '8080', APP__DB__MAX_POOL: '10' }, { server: { port: 1 }, db: { max_pool: 2 } }, { prefix: 'APP' });
    expect(config.value).toEqual({ server: { port: 8080 }, db: { max_pool: 10 } });
  });

  it("with prefix '' reads only nested names, never PATH or HOME or another program's __VARS", async () => {
    const config = await load(
      { SERVER__PORT: '9090', PATH: '/bin', HOME: '/root', PORT: '1', __CF_USER_TEXT_ENCODING: '0x0', __INTELLIJ_HIST__: 'x' },
      { port: 5, path: 'p' },
      { prefix: '' },
    );
    expect(config.value).toEqual({ server: { port: '9090' }, port: 5, path: 'p' });
    expect(config.explain('server.port')?.location).toBe('SERVER__PORT');
  });

  it('honours a custom delimiter and rejects an empty one', async () => {
    const config = await load({ CONFSTACK_SERVER_X_PORT: '7' }, { server: { port: 1 } }, { delimiter: '_X_' });
    expect(config.value).toEqual({ server: { port: 7 } });
    await expectConfigError(() => envProvider({ delimiter: '' }), { code: 'invalid_parameters' });
  });

  it('lower-cases a segment that no lower layer has', async () => {
    const config = await load({ CONFSTACK_NEW__DEEP__KEY: 'v' });
    expect(config.value).toEqual({ new: { deep: { key: 'v' } } });
  });
});

describe('envProvider: case-insensitive matching', () => {
  it("keeps the lower layer's spelling of each key", async () => {
    const config = await load({ CONFSTACK_SERVER__MAXCONN: '5' }, { Server: { maxConn: 1, other: 2 } });
    expect(config.value).toEqual({ Server: { maxConn: 5, other: 2 } });
    expect(config.explain('Server.maxConn')?.location).toBe('CONFSTACK_SERVER__MAXCONN');
  });

  it('treats a lower-case variable name like its upper-case spelling', async () => {
    const config = await load({ confstack_server__port: '9' }, { server: { port: 1 } });
    expect(config.value).toEqual({ server: { port: 9 } });
  });
});

describe('envProvider: lists', () => {
  const llm = {
    llm_providers: [
      { name: 'anthropic', model_name: 'claude', temperature: 0.2 },
      { name: 'OpenAI', model_name: 'gpt-4o', api_key: 'old' },
      { name: 'gpt-4o.mini', model_name: 'm' },
    ],
  };

  it('selects an item by index', async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__1__MODEL_NAME: 'o3' }, llm);
    expect(config.get('llm_providers.1.model_name')).toBe('o3');
    expect(config.get('llm_providers.0.model_name')).toBe('claude');
    expect(config.explain('llm_providers.1.model_name')?.location).toBe('CONFSTACK_LLM_PROVIDERS__1__MODEL_NAME');
  });

  it('selects an item by name, case-insensitively, keeping its name as written', async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__OPENAI__API_KEY: 'new' }, llm);
    expect(config.get('llm_providers.1')).toEqual({ name: 'OpenAI', model_name: 'gpt-4o', api_key: 'new' });
    expect((config.value as typeof llm).llm_providers).toHaveLength(3);
    expect(config.explain('llm_providers.1.api_key')?.location).toBe('CONFSTACK_LLM_PROVIDERS__OPENAI__API_KEY');
  });

  it("matches a name's - and . with _", async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__GPT_4O_MINI__MODEL_NAME: 'x' }, llm);
    expect(config.get('llm_providers.2.model_name')).toBe('x');
  });

  it('appends a new item for a name no lower item has (named lists merge by name)', async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__MISTRAL__MODEL_NAME: 'large' }, llm);
    expect(config.get('llm_providers.3')).toEqual({ name: 'mistral', model_name: 'large' });
    expect(config.explain('llm_providers.3.name')?.location).toBe('CONFSTACK_LLM_PROVIDERS__MISTRAL__MODEL_NAME');
  });

  it('coerces inside a list item to the type the item has there', async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__ANTHROPIC__TEMPERATURE: '0.7' }, llm);
    expect(config.get('llm_providers.0.temperature')).toBe(0.7);
  });

  it('rejects an index past the end of a named list when the new item gets no NAME, naming the variable', async () => {
    const err = await expectConfigError(load({ CONFSTACK_LLM_PROVIDERS__7__MODEL_NAME: 'x' }, llm), {
      code: 'environment_error',
      source: 'env CONFSTACK_LLM_PROVIDERS__7__MODEL_NAME',
    });
    expect(err.context?.variable).toBe('CONFSTACK_LLM_PROVIDERS__7__MODEL_NAME');
  });

  it('appends an item created by index past the end of a named list when its NAME is set', async () => {
    const config = await load({ CONFSTACK_LLM_PROVIDERS__3__MODEL_NAME: 'large', CONFSTACK_LLM_PROVIDERS__3__NAME: 'mistral' }, llm);
    expect(config.get('llm_providers.3')).toEqual({ model_name: 'large', name: 'mistral' });
    expect((config.value as typeof llm).llm_providers.slice(0, 3)).toEqual(llm.llm_providers);
    expect(config.explain('llm_providers.3.name')?.location).toBe('CONFSTACK_LLM_PROVIDERS__3__NAME');
  });

  it('keeps one item when a NAME variable renames an item other variables created (sorted before and after NAME)', async () => {
    const config = await load(
      {
        CONFSTACK_LLM_PROVIDERS__ENV_PROVIDER__API_KEY: 'k',
        CONFSTACK_LLM_PROVIDERS__ENV_PROVIDER__NAME: 'env-provider',
        CONFSTACK_LLM_PROVIDERS__ENV_PROVIDER__PROVIDER: 'openai',
        CONFSTACK_LLM_PROVIDERS__ENV_PROVIDER__TEMPERATURE: '0.5',
      },
      llm,
    );
    const items = (config.value as typeof llm).llm_providers;
    expect(items).toHaveLength(4);
    expect(config.get('llm_providers.3')).toEqual({ name: 'env-provider', api_key: 'k', provider: 'openai', temperature: '0.5' });
  });

  it('rejects a variable that names a list item itself rather than a field of it', async () => {
    await expectConfigError(load({ CONFSTACK_LLM_PROVIDERS__OPENAI: 'x' }, llm), { code: 'environment_error' });
  });

  it('changes one item of a plain list (copied whole), or appends right after its end', async () => {
    const lower = { hosts: ['a', 'b', 'c'] };
    const one = await load({ CONFSTACK_HOSTS__1: 'z' }, lower);
    expect(one.get('hosts')).toEqual(['a', 'z', 'c']);
    expect(one.explain('hosts.1')?.location).toBe('CONFSTACK_HOSTS__1');
    expect((await load({ CONFSTACK_HOSTS__3: 'd' }, lower)).get('hosts')).toEqual(['a', 'b', 'c', 'd']);
    await expectConfigError(load({ CONFSTACK_HOSTS__4: 'e' }, lower), { code: 'environment_error', key: 'hosts' });
    await expectConfigError(load({ CONFSTACK_HOSTS__FIRST: 'e' }, lower), { code: 'environment_error' });
  });

  it('coerces a plain list item to the type of the item below it', async () => {
    const config = await load({ CONFSTACK_PORTS__0: '81' }, { ports: [80, 443] });
    expect(config.get('ports')).toEqual([81, 443]);
  });
});

describe('envProvider: coercion', () => {
  it("coerces to the lower layer's number and boolean, and keeps strings as strings", async () => {
    const config = await load(
      { CONFSTACK_PORT: '9090', CONFSTACK_DEBUG: 'yes', CONFSTACK_OFF: '0', CONFSTACK_NAME: '42', CONFSTACK_FREE: 'true' },
      { port: 1, debug: false, off: true, name: 'svc' },
    );
    expect(config.value).toEqual({ port: 9090, debug: true, off: false, name: '42', free: 'true' });
  });

  it('takes a fractional value over a whole lower number (1.0 arrives as 1)', async () => {
    const config = await load({ CONFSTACK_TEMPERATURE: '0.7' }, { temperature: 1.0 });
    expect(config.get('temperature')).toBe(0.7);
  });

  it('refuses a digit string that a number cannot hold exactly', async () => {
    await expectConfigError(load({ CONFSTACK_ID: '9007199254740993' }, { id: 1 }), { code: 'type_mismatch', key: 'id' });
  });

  it('CONFSTACK_SERVER__PORT=abc over a number is type_mismatch naming the variable', async () => {
    const err = await expectConfigError(load({ CONFSTACK_SERVER__PORT: 'abc' }, { server: { port: 8080 } }), {
      code: 'type_mismatch',
      key: 'server.port',
      source: 'env CONFSTACK_SERVER__PORT',
    });
    expect(err.message).toContain('CONFSTACK_SERVER__PORT');
    expect(err.context).toMatchObject({ variable: 'CONFSTACK_SERVER__PORT', expected: 'number' });
  });

  it('never echoes the value of a secret that fails coercion', async () => {
    const err = await expectConfigError(load({ CONFSTACK_DB__PASSWORD: CANARY }, { db: { password: 1234 } }), {
      code: 'type_mismatch',
      key: 'db.password',
    });
    expectNoSecret(err.message);
    expectNoSecret(err.toJSON());
    expectNoSecret(String(err.stack));
  });

  it('rejects a non-boolean over a boolean', async () => {
    await expectConfigError(load({ CONFSTACK_DEBUG: 'maybe' }, { debug: true }), { code: 'type_mismatch', key: 'debug' });
  });

  it('parses JSON for a list or an object below, replacing the list and merging the object', async () => {
    const config = await load(
      { CONFSTACK_HOSTS: '["x","y"]', CONFSTACK_DB: '{"port":5432}' },
      { hosts: ['a', 'b', 'c'], db: { host: 'h', port: 1 } },
    );
    expect(config.value).toEqual({ hosts: ['x', 'y'], db: { host: 'h', port: 5432 } });
    expect(config.explain('hosts')?.location).toBe('CONFSTACK_HOSTS');
  });

  it('rejects text that is not JSON of the right kind', async () => {
    await expectConfigError(load({ CONFSTACK_HOSTS: 'x,y' }, { hosts: ['a'] }), { code: 'type_mismatch', key: 'hosts' });
    await expectConfigError(load({ CONFSTACK_HOSTS: '{"a":1}' }, { hosts: ['a'] }), { code: 'type_mismatch', key: 'hosts' });
    // A scalar where the lower layer holds an object: deterministic, naming the variable.
    await expectConfigError(load({ CONFSTACK_DB: 'foo' }, { db: { host: 'h' } }), { code: 'type_mismatch', source: 'env CONFSTACK_DB' });
  });

  it('rejects a variable below a key another variable sets to a value', async () => {
    await expectConfigError(load({ CONFSTACK_A: '1', CONFSTACK_A__B: '2' }), { code: 'environment_error' });
  });
});

describe('envProvider: _FILE secrets', () => {
  it('reads NAME from the file NAME_FILE names, trimming one trailing newline', async () => {
    const dir = tempDir({ pw: `${CANARY}\n`, crlf: 'abc\r\n', two: 'abc\n\n' });
    const config = await load({
      CONFSTACK_DB__PASSWORD_FILE: join(dir, 'pw'),
      CONFSTACK_DB__CRLF_FILE: join(dir, 'crlf'),
      CONFSTACK_DB__TWO_FILE: join(dir, 'two'),
    });
    expect(config.value).toEqual({ db: { password: CANARY, crlf: 'abc', two: 'abc\n' } });
    expect(config.explain('db.password')?.location).toBe('CONFSTACK_DB__PASSWORD_FILE');
  });

  it('coerces the file content like a value', async () => {
    const dir = tempDir({ port: '9090\n' });
    const config = await load({ CONFSTACK_SERVER__PORT_FILE: join(dir, 'port') }, { server: { port: 1 } });
    expect(config.get('server.port')).toBe(9090);
  });

  it('keeps a key that really ends in _file when the lower layer has it', async () => {
    const config = await load({ CONFSTACK_LOG__OUTPUT_FILE: '/var/log/app.log' }, { log: { output_file: 'stdout' } });
    expect(config.get('log.output_file')).toBe('/var/log/app.log');
  });

  it('a missing file is file_not_found naming the variable and the path', async () => {
    const path = join(tempDir(), 'absent');
    const err = await expectConfigError(load({ CONFSTACK_DB__PASSWORD_FILE: path }), { code: 'file_not_found', file: path });
    expect(err.message).toContain('CONFSTACK_DB__PASSWORD_FILE');
  });

  it('a directory is file_access_error, and a read error never carries content', async () => {
    const dir = tempDir({ 'sub/x': CANARY });
    const err = await expectConfigError(load({ CONFSTACK_DB__PASSWORD_FILE: join(dir, 'sub') }), { code: 'file_access_error' });
    expect(err.message).toContain('CONFSTACK_DB__PASSWORD_FILE');
    expectNoSecret(err.toJSON());
  });

  it('NAME and NAME_FILE both set is invalid_config naming both, not the content', async () => {
    const dir = tempDir({ pw: CANARY });
    const err = await expectConfigError(
      load({ CONFSTACK_DB__PASSWORD_FILE: join(dir, 'pw'), CONFSTACK_DB__PASSWORD: 'other' }),
      { code: 'invalid_config', source: 'env CONFSTACK_DB__PASSWORD_FILE' },
    );
    expect(err.message).toContain('CONFSTACK_DB__PASSWORD');
    expect(err.context?.other).toBe('CONFSTACK_DB__PASSWORD');
    expectNoSecret(err.toJSON());
  });

  it('a file over the scalar limit is limit_exceeded without reading it whole', async () => {
    const dir = tempDir();
    const path = join(dir, 'big');
    writeFileSync(path, 'x'.repeat(4096));
    const config = loadConfig({
      schema: false,
      limits: { maxScalarBytes: 1000 },
      sources: [envProvider({ env: { CONFSTACK_BLOB_FILE: path } })],
    });
    await expectConfigError(config, { code: 'limit_exceeded', source: 'env CONFSTACK_BLOB_FILE' });
    // /dev/zero never ends: only a bounded read finishes.
    await expectConfigError(
      loadConfig({ schema: false, limits: { maxScalarBytes: 1000 }, sources: [envProvider({ env: { CONFSTACK_BLOB_FILE: '/dev/zero' } })] }),
      { code: 'limit_exceeded' },
    );
  });
});

describe('envProvider: forbidden keys and malformed names', () => {
  const forbidden = ['CONFSTACK____PROTO____X', 'CONFSTACK_CONSTRUCTOR__PROTOTYPE__X', 'CONFSTACK_A____PROTO____B', 'CONFSTACK_A__PROTOTYPE'];
  for (const name of forbidden) {
    it(`${name} is forbidden_key naming the variable`, async () => {
      const err = await expectConfigError(load({ [name]: '1' }), { code: 'forbidden_key', source: `env ${name}` });
      expect(err.context?.variable).toBe(name);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('x');
    });
  }

  it('JSON values holding __proto__ or constructor are forbidden_key naming the variable', async () => {
    const cases = ['{"__proto__":{"polluted":1}}', '{"a":[{"constructor":{"prototype":{"polluted":1}}}]}'];
    for (const json of cases) {
      const err = await expectConfigError(load({ CONFSTACK_OBJ: json }, { obj: {} }), { code: 'forbidden_key', key: 'obj' });
      expect(err.message).toContain('CONFSTACK_OBJ');
    }
    await expectConfigError(load({ CONFSTACK_LIST: '[{"__proto__":{"polluted":1}}]' }, { list: [] }), { code: 'forbidden_key' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an empty segment (doubled or trailing delimiter) is environment_error naming the variable', async () => {
    for (const name of ['CONFSTACK_A____B', 'CONFSTACK_A__', 'CONFSTACK_A______B']) {
      const err = await expectConfigError(load({ [name]: '1' }), { code: 'environment_error', source: `env ${name}` });
      expect(err.context?.variable).toBe(name);
    }
  });

  it('ignores the bare prefix', async () => {
    expect((await load({ CONFSTACK_: 'x', CONFSTACK: 'y' })).value).toEqual({});
  });

  it('a value over the scalar limit is limit_exceeded naming the variable', async () => {
    const p = loadConfig({ schema: false, limits: { maxScalarBytes: 16 }, sources: [envProvider({ env: { CONFSTACK_BIG: 'x'.repeat(17), CONFSTACK_OK: 'x'.repeat(16) } })] });
    const err = await expectConfigError(p, { code: 'limit_exceeded', source: 'env CONFSTACK_BIG' });
    expect(err.context?.limit).toBe('maxScalarBytes');
  });

  it('a JSON list of half a million items loads (no call-stack overflow while checking it)', async () => {
    const config = await load({ CONFSTACK_L: `[${'0,'.repeat(499_999)}0]` }, { l: [] });
    expect((config.get('l') as unknown[]).length).toBe(500_000);
  });

  it('a JSON value deeper than the depth limit is limit_exceeded, never a RangeError', async () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    await expectConfigError(load({ CONFSTACK_L: deep }, { l: [] }), { code: 'limit_exceeded', source: 'env CONFSTACK_L' });
    const limited = loadConfig({ schema: false, limits: { maxDepth: 3 }, sources: [envProvider({ env: { CONFSTACK_A__B: '{"c":{"d":1}}' } }), memoryProvider({ a: { b: {} } })] });
    await expectConfigError(limited, { code: 'limit_exceeded', key: 'a.b' });
    const abyss = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const err = await expectConfigError(load({ CONFSTACK_L: abyss }, { l: [] }), { code: 'limit_exceeded', source: 'env CONFSTACK_L' });
    expect(err.message).not.toMatch(/call stack/i);
  });
});

describe('envProvider: snapshot and standalone use', () => {
  it('reads the environment at load time and never writes it', async () => {
    const env: Env = { CONFSTACK_A: '1' };
    const p = envProvider({ env });
    const first = await p.load();
    env.CONFSTACK_A = '2';
    const second = await p.load();
    expect(first.values).toEqual({ a: '1' });
    expect(second.values).toEqual({ a: '2' });
    expect(env).toEqual({ CONFSTACK_A: '2' });
  });

  it("falls back to the loader's env when it has none of its own", async () => {
    const config = await loadConfig({ schema: false, env: { CONFSTACK_X: 'from-loader' }, sources: [envProvider()] });
    expect(config.get('x')).toBe('from-loader');
  });
});

describe('envVarName, configKey, getEnvConfigMap', () => {
  it('envVarName upper-cases, joins with __ and adds PREFIX_', () => {
    expect(envVarName('CONFSTACK', 'server.port')).toBe('CONFSTACK_SERVER__PORT');
    expect(envVarName('app', 'llm_providers[0].model_name')).toBe('APP_LLM_PROVIDERS__0__MODEL_NAME');
    expect(envVarName('', 'a.b')).toBe('A__B');
  });

  it('configKey strips the prefix and lower-cases', () => {
    expect(configKey('CONFSTACK', 'CONFSTACK_SERVER__PORT')).toBe('server.port');
    expect(configKey('APP', 'APP__DB__MAX_POOL')).toBe('db.max_pool');
    expect(configKey('', 'A__B')).toBe('a.b');
  });

  it("getEnvConfigMap('') lists only the nested names envProvider reads, never every variable", () => {
    const map = getEnvConfigMap('', { SERVER__PORT: '1', PATH: '/bin', AWS_SECRET_ACCESS_KEY: CANARY, __CF_X__Y: 'z', HOME: '/root' });
    expect(map).toEqual({ 'server.port': '1' });
    expectNoSecret(map);
  });

  it('getEnvConfigMap lists the prefixed variables by key, as plain own data', () => {
    const map = getEnvConfigMap('CONFSTACK', { CONFSTACK_SERVER__PORT: '1', OTHER: '2', CONFSTACK_: 'bare', CONFSTACK___PROTO__: 'x', CONFSTACK_U: undefined });
    expect(map['server.port']).toBe('1');
    expect(Object.values(map)).not.toContain('2');
    expect(Object.values(map)).not.toContain('bare');
    expect(Object.keys(map)).not.toContain('u');
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('envProvider alone builds list items by index (a container configured only by env vars)', () => {
  const env = {
    CONFSTACK_LLM_PROVIDERS__0__NAME: 'a',
    CONFSTACK_LLM_PROVIDERS__0__PROVIDER: 'openai',
    CONFSTACK_LLM_PROVIDERS__0__MODEL_NAME: 'gpt-4o',
    CONFSTACK_LLM_PROVIDERS__0__API_KEY: CANARY,
    CONFSTACK_LLM_PROVIDERS__2__NAME: 'c',
    CONFSTACK_LLM_PROVIDERS__2__PROVIDER: 'ollama',
    CONFSTACK_LLM_PROVIDERS__2__MODEL_NAME: 'llama3',
    CONFSTACK_LLM_PROVIDERS__10__NAME: 'k',
    CONFSTACK_LLM_PROVIDERS__10__PROVIDER: 'ollama',
    CONFSTACK_LLM_PROVIDERS__10__MODEL_NAME: 'qwen',
    CONFSTACK_LLM_PROVIDERS__C__DEFAULT_CALL_OPTIONS__TEMPERATURE: '0.2',
  };

  it('with no file: the framework schema says llm_providers is a list, indices create items in index order', async () => {
    const config = await loadConfig({ configPaths: [tempDir()], env });
    expect(config.getLLMProvidersConfig().map((p) => p.name)).toEqual(['a', 'c', 'k']);
    expect(config.getLLMProviderConfig('a')).toMatchObject({ provider: 'openai', model_name: 'gpt-4o', api_key: CANARY });
    // A later variable that names the item by its NAME finds the same item, coerced by the schema.
    expect(config.get('llm_providers[1].default_call_options.temperature')).toBe(0.2);
    expect(config.explain('llm_providers[2].model_name')?.location).toBe('CONFSTACK_LLM_PROVIDERS__10__MODEL_NAME');
  });
});
