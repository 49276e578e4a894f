/**
 * ProviderRegistry: registration rules (names, metadata), lookup errors with suggestions, creation
 * failures, option checks, discovery queries, and the wrapper every created provider gets.
 */
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, ErrorCode } from '../../src/foundation/errors.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { defineProvider, type Provider } from '../../src/providers/provider.js';
import { ProviderRegistry, registerBuiltinProviders, type ProviderMetadataInit } from '../../src/registry/index.js';
import { CANARY, expectConfigError } from '../support/errors.js';

const builtins = (): ProviderRegistry => new ProviderRegistry({ initialize: registerBuiltinProviders });
const JSON_META: ProviderMetadataInit = { supportedFormats: ['json'] };

function stub(name = 'stub', values: Record<string, unknown> = { a: 1 }): Provider {
  return defineProvider({ name, type: 'stub', load: () => ({ values }) });
}

describe('register, has, list, metadata, unregister', () => {
  it('adds a type whose metadata is normalised, frozen and detached from the input', () => {
    const r = new ProviderRegistry();
    const init = { description: 'Vault', version: '1.2.0', supportedFormats: ['JSON'], defaultFormat: 'Json', capabilities: ['remote', 'x-leases'] };
    r.register('vault', () => stub(), init);
    init.supportedFormats.push('yaml');
    expect(r.has('vault')).toBe(true);
    expect(r.list()).toEqual(['vault']);
    const m = r.metadata('vault');
    expect(m).toEqual({
      name: 'vault',
      description: 'Vault',
      version: '1.2.0',
      supportedFormats: ['json'],
      defaultFormat: 'json',
      capabilities: ['remote', 'x-leases'],
      supportsWatch: false,
      supportsEnvVars: false,
      supportsHealthCheck: false,
      requiredOptions: [],
      optionalOptions: [],
      healthCheckSupported: false,
    });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.supportedFormats)).toBe(true);
  });

  it('accepts a bare creator without metadata (not found by format or capability queries)', () => {
    const r = new ProviderRegistry();
    r.register('bare', () => stub());
    expect(r.metadata('bare')).toMatchObject({ name: 'bare', supportedFormats: [], capabilities: [] });
    expect(r.find()).toHaveLength(1);
    expect(r.find({ formats: ['json'] })).toEqual([]);
  });

  it('lists sorted and unregisters (then the name is unknown and can be registered again)', async () => {
    const r = new ProviderRegistry();
    for (const n of ['zeta', 'alpha', 'mid']) r.register(n, () => stub(n), JSON_META);
    expect(r.list()).toEqual(['alpha', 'mid', 'zeta']);
    r.unregister('mid');
    expect(r.has('mid')).toBe(false);
    expect(r.list()).toEqual(['alpha', 'zeta']);
    await expectConfigError(r.create('mid'), { code: ErrorCode.ProviderNotFound });
    r.register('mid', () => stub('again'), JSON_META);
    expect((await r.create('mid')).name).toBe('again');
  });

  it.each(['a', 'x1', '0day', 'my-type', 'a.b_c-d', 'a'.repeat(64)])('accepts the name %j', (name) => {
    const r = new ProviderRegistry();
    r.register(name, () => stub(), JSON_META);
    expect(r.has(name)).toBe(true);
  });

  it.each<[unknown, string]>([['', 'empty'], ['Vault', 'upper case'], ['-a', 'leading dash'], ['.a', 'leading dot'], ['_a', 'leading underscore'], ['a b', 'space'], ['a/b', 'slash'], ['é', 'non-ASCII'], ['a'.repeat(65), 'too long'], [42, 'number'], [undefined, 'undefined']])(
    'rejects the name %j (%s) with invalid_parameters',
    async (name, _why) => {
      const r = new ProviderRegistry();
      await expectConfigError(() => r.register(name as string, () => stub(), JSON_META), { code: ErrorCode.InvalidParameters });
      expect(r.list()).toEqual([]);
    },
  );

  it('rejects a creator that is not a function', async () => {
    const r = new ProviderRegistry();
    await expectConfigError(() => r.register('x', 'nope' as never, JSON_META), { code: ErrorCode.InvalidParameters });
  });

  it('never replaces: a duplicate is provider_already_registered and the first creator stays', async () => {
    const r = new ProviderRegistry();
    r.register('dup', () => stub('first'), JSON_META);
    const err = await expectConfigError(() => r.register('dup', () => stub('second'), { supportedFormats: ['yaml'] }), {
      code: ErrorCode.ProviderAlreadyRegistered,
    });
    expect(err.message).toContain('"dup"');
    expect((await r.create('dup')).name).toBe('first');
    expect(r.metadata('dup').supportedFormats).toEqual(['json']);
  });

  it('rejects a built-in name while the built-in is registered', async () => {
    await expectConfigError(() => builtins().register('yaml', () => stub(), JSON_META), { code: ErrorCode.ProviderAlreadyRegistered });
  });
});

describe('metadata validation', () => {
  it.each<[string, ProviderMetadataInit]>([
    ['a format', { supportedFormats: ['ini'] }],
    ['the remote capability', { capabilities: ['remote'] }],
    ['the env_vars capability', { capabilities: ['env_vars'] }],
    ['x- custom capabilities', { supportedFormats: ['json'], capabilities: ['x-leases', 'x-a.b'] }],
    ['declared option names', { supportedFormats: ['json'], requiredOptions: ['path', 'providerSpecific.url'], optionalOptions: ['format'] }],
  ])('accepts metadata with %s', (_, meta) => {
    const r = new ProviderRegistry();
    r.register('ok', () => stub(), meta);
    expect(r.has('ok')).toBe(true);
  });

  it('needs a format or the remote/env_vars capability', async () => {
    const err = await expectConfigError(() => new ProviderRegistry().register('x', () => stub(), { capabilities: ['watching'] }), {
      code: ErrorCode.InvalidParameters,
    });
    expect(err.issues?.map((i) => i.path)).toEqual(['supportedFormats']);
  });

  it('lists every problem at once', async () => {
    const r = new ProviderRegistry();
    const err = await expectConfigError(
      () =>
        r.register('x', () => stub(), {
          name: 'y',
          description: 5 as never,
          supportedFormats: ['json'],
          capabilities: ['watching', 'telepathy', 'X-upper'],
          defaultFormat: 'yaml',
          supportsWatch: 'yes' as never,
          requiredOptions: ['pathh', 'providerSpecific.'],
        }),
      { code: ErrorCode.InvalidParameters },
    );
    expect(err.issues?.map((i) => i.path).sort()).toEqual(
      ['name', 'description', 'supportsWatch', 'capabilities.1', 'capabilities.2', 'requiredOptions.0', 'requiredOptions.1', 'defaultFormat'].sort(),
    );
    expect(r.has('x')).toBe(false);
  });

  it('reports a malformed format list once, not again as "no format"', async () => {
    const err = await expectConfigError(() => new ProviderRegistry().register('x', () => stub(), { supportedFormats: ['json', ''], defaultFormat: 'json' }), {
      code: ErrorCode.InvalidParameters,
    });
    expect(err.issues?.map((i) => i.path)).toEqual(['supportedFormats']);
  });

  it('rejects metadata that is not an object', async () => {
    await expectConfigError(() => new ProviderRegistry().register('x', () => stub(), [] as never), { code: ErrorCode.InvalidParameters });
  });
});

describe('unknown names', () => {
  it.each([
    ['ymal', ['yaml']],
    ['etdc', ['etcd']],
    ['jsno', ['json']],
    ['Yaml', ['yaml']],
    ['composit', ['composite']],
    ['tom', ['toml']],
    ['kubernetes', []],
  ])('create(%j) is provider_not_found suggesting %j', async (name, suggestions) => {
    const r = builtins();
    const err = await expectConfigError(r.create(name), { code: ErrorCode.ProviderNotFound });
    expect(err.context?.suggestions).toEqual(suggestions);
    expect(err.context?.known).toEqual(['composite', 'defaults', 'env', 'etcd', 'file', 'json', 'toml', 'yaml']);
    if (suggestions.length > 0) expect(err.message).toContain(`did you mean "${suggestions[0]}"`);
    else expect(err.message).not.toContain('did you mean');
  });

  it('is provider_not_found from metadata, unregister and validateOptions too', async () => {
    const r = builtins();
    await expectConfigError(() => r.metadata('nope'), { code: ErrorCode.ProviderNotFound });
    await expectConfigError(() => r.unregister('nope'), { code: ErrorCode.ProviderNotFound });
    await expectConfigError(() => r.validateOptions('nope', {}), { code: ErrorCode.ProviderNotFound });
    expect(r.has('nope')).toBe(false);
  });

  it('create never throws synchronously, even for a non-string name', async () => {
    const r = builtins();
    let p: Promise<Provider> | undefined;
    expect(() => {
      p = r.create(42 as never);
    }).not.toThrow();
    await expectConfigError(p!, { code: ErrorCode.InvalidParameters });
  });

  it('bounds a huge unknown name in the message', async () => {
    const err = await expectConfigError(builtins().create('x'.repeat(10_000)), { code: ErrorCode.ProviderNotFound });
    expect(err.message.length).toBeLessThan(400);
  });
});

describe('creation failures', () => {
  it.each<[string, unknown]>([
    ['an Error', new Error('creator broke')],
    ['a string', 'just a string'],
    ['undefined', undefined],
    ['a number', 7],
  ])('a creator that throws %s is provider_creation_failed with the cause kept', async (_, thrown) => {
    const r = new ProviderRegistry();
    r.register('x', () => {
      throw thrown;
    }, JSON_META);
    const err = await expectConfigError(r.create('x'), { code: ErrorCode.ProviderCreationFailed });
    expect(err.provider).toBe('x');
    expect(err.cause).toBe(thrown);
    // Retryable, as in the Go package's table: a creator's usual failure is I/O.
    expect(err.retryable).toBe(true);
    if (!(thrown instanceof Error)) expect(err.context?.thrown).toBe(thrown === undefined ? 'undefined' : typeof thrown);
  });

  it('an async creator that rejects (even with undefined) is provider_creation_failed', async () => {
    const r = new ProviderRegistry();
    r.register('x', () => Promise.reject(undefined), JSON_META);
    const err = await expectConfigError(r.create('x'), { code: ErrorCode.ProviderCreationFailed });
    // An undefined cause is invisible on its own: the context says what was thrown.
    expect(err.cause).toBeUndefined();
    expect(err.context?.thrown).toBe('undefined');
  });

  it('keeps a ConfigError cause\'s verdict when it says not retryable', async () => {
    const r = new ProviderRegistry();
    r.register('x', () => {
      throw new ConfigError({ op: 'options', code: ErrorCode.ProviderConfigInvalid, message: 'bad option' });
    }, JSON_META);
    expect((await expectConfigError(r.create('x'), { code: ErrorCode.ProviderCreationFailed })).retryable).toBe(false);
  });

  it('keeps retryable from a ConfigError cause', async () => {
    const r = new ProviderRegistry();
    r.register('x', () => {
      throw new ConfigError({ op: 'connect', code: ErrorCode.ProviderUnavailable, message: 'down' });
    }, JSON_META);
    const err = await expectConfigError(r.create('x'), { code: ErrorCode.ProviderCreationFailed });
    expect(err.retryable).toBe(true);
    expect((err.cause as ConfigError).code).toBe(ErrorCode.ProviderUnavailable);
  });

  it.each([null, {}, { name: 'x', type: 't' }, { name: '', type: 't', load: () => undefined }, 'provider'])(
    'a creator returning %j (not a Provider) is provider_creation_failed',
    async (returned) => {
      const r = new ProviderRegistry();
      r.register('x', () => returned as never, JSON_META);
      const err = await expectConfigError(r.create('x'), { code: ErrorCode.ProviderCreationFailed });
      expect(err.retryable).toBe(false); // a broken contract: retrying gives the same non-Provider
    },
  );
});

describe('options', () => {
  it('missing required options are provider_config_invalid, checked before the creator runs', async () => {
    const r = builtins();
    const err = await expectConfigError(r.create('etcd', {}), { code: ErrorCode.ProviderConfigInvalid });
    expect(err.issues?.map((i) => [i.path, i.code])).toEqual([
      ['providerSpecific.endpoints', 'missing_required'],
      ['providerSpecific.prefix', 'missing_required'],
    ]);
    await expectConfigError(r.create('defaults'), { code: ErrorCode.ProviderConfigInvalid });
    await expectConfigError(r.create('composite', { providerSpecific: {} }), { code: ErrorCode.ProviderConfigInvalid });
  });

  it('lists every problem, generic and type-specific, in one error', async () => {
    const r = builtins();
    const err = await expectConfigError(
      r.create('etcd', {
        path: 'x.yaml',
        loadTimeoutMs: -1,
        maxRetries: 1.5,
        cacheTtlMs: 10,
        format: 'ini',
        pathh: 1,
        providerSpecific: { endpoints: [], prefix: 3, mode: 'tree', bogus: true },
      } as never),
      { code: ErrorCode.ProviderConfigInvalid },
    );
    expect(err.issues?.map((i) => i.path).sort()).toEqual(
      [
        'path',
        'loadTimeoutMs',
        'maxRetries',
        'cacheTtlMs',
        'format',
        'pathh',
        'providerSpecific.bogus',
        'providerSpecific.endpoints',
        'providerSpecific.prefix',
        'providerSpecific.mode',
      ].sort(),
    );
    expect(err.message).toContain('10 problems');
  });

  it('treats Object.prototype names as unknown options, not as checks', async () => {
    const r = builtins();
    for (const key of ['valueOf', 'hasOwnProperty', 'toString', 'isPrototypeOf']) {
      const err = await expectConfigError(() => r.validateOptions('file', { [key]: 1 } as never), { code: ErrorCode.ProviderConfigInvalid });
      expect(err.issues).toEqual([{ path: key, message: `unknown option "${key}"`, code: 'unknown_option' }]);
    }
  });

  it('rejects __proto__ and constructor option names with forbidden_key', async () => {
    const r = builtins();
    await expectConfigError(() => r.validateOptions('file', JSON.parse('{"__proto__": {"polluted": true}}')), { code: ErrorCode.ForbiddenKey });
    await expectConfigError(r.create('etcd', JSON.parse('{"providerSpecific": {"constructor": 1}}')), { code: ErrorCode.ForbiddenKey });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects options that are not a plain object', async () => {
    for (const bad of [[], 'path', 5, null, new Map()]) {
      await expectConfigError(() => builtins().validateOptions('file', bad as never), { code: ErrorCode.ProviderConfigInvalid });
    }
  });

  it('never quotes option values in the error', async () => {
    const err = await expectConfigError(
      builtins().create('etcd', { path: CANARY, providerSpecific: { endpoints: [CANARY], prefix: '/', auth: { username: 'u', password: 5 }, [CANARY.slice(0, 10)]: CANARY } } as never),
      { code: ErrorCode.ProviderConfigInvalid },
    );
    expect(JSON.stringify(err.toJSON())).not.toContain(CANARY);
    expect(err.message).not.toContain(CANARY);
  });

  it('validateOptions checks without creating; a type check adds its issues; a throwing check is provider_config_invalid', async () => {
    const r = new ProviderRegistry();
    const creator = vi.fn(() => stub());
    r.register('x', creator, { supportedFormats: ['json'], optionalOptions: ['providerSpecific.url'] }, {
      validateOptions: (o) => (typeof o.providerSpecific?.url === 'string' ? [] : [{ path: 'providerSpecific.url', message: 'expected a URL', code: 'invalid_type' }]),
    });
    r.validateOptions('x', { providerSpecific: { url: 'http://x' } });
    const err = await expectConfigError(() => r.validateOptions('x', { providerSpecific: { url: 5 } }), { code: ErrorCode.ProviderConfigInvalid });
    expect(err.issues?.[0]?.message).toBe('expected a URL');
    expect(creator).not.toHaveBeenCalled();

    const cause = new Error('check bug');
    r.register('y', () => stub(), JSON_META, {
      validateOptions: () => {
        throw cause;
      },
    });
    const thrown = await expectConfigError(() => r.validateOptions('y', {}), { code: ErrorCode.ProviderConfigInvalid });
    expect(thrown.cause).toBe(cause);
    await expectConfigError(() => r.register('z', () => stub(), JSON_META, { validateOptions: 5 as never }), { code: ErrorCode.InvalidParameters });
  });

  it('a type without declared options accepts every known field; one with declared options flags the rest', async () => {
    const r = new ProviderRegistry();
    r.register('loose', () => stub(), JSON_META);
    r.validateOptions('loose', { path: 'a', envPrefix: 'X', providerSpecific: { anything: 1 } });
    await expectConfigError(() => builtins().validateOptions('file', { envPrefix: 'X' }), { code: ErrorCode.ProviderConfigInvalid });
    await expectConfigError(() => builtins().validateOptions('env', { watch: true }), { code: ErrorCode.ProviderConfigInvalid });
    builtins().validateOptions('yaml', { path: 'a.yaml', format: 'auto', watch: true, cache: true, cacheTtlMs: 5, loadTimeoutMs: 5, maxRetries: 3 });
  });

  it('hands the creator its own copy of the options', async () => {
    const r = new ProviderRegistry();
    let seen: Record<string, unknown> | undefined;
    r.register('x', (o) => {
      o.configPaths?.push('mutated');
      (o.providerSpecific as Record<string, unknown>).extra = true;
      seen = o as Record<string, unknown>;
      return stub();
    }, JSON_META);
    const options = { configPaths: ['a'], providerSpecific: { k: 1 } };
    await r.create('x', options);
    expect(options).toEqual({ configPaths: ['a'], providerSpecific: { k: 1 } });
    expect(seen).toMatchObject({ configPaths: ['a', 'mutated'] });
  });
});

describe('discovery', () => {
  const r = builtins();

  it('forFormat (case-insensitive) and withCapability, sorted', () => {
    expect(r.forFormat('YAML')).toEqual(['etcd', 'file', 'yaml']);
    expect(r.forFormat('env')).toEqual(['file']);
    expect(r.forFormat('ini')).toEqual([]);
    expect(r.withCapability('remote')).toEqual(['etcd']);
    expect(r.withCapability('env_vars')).toEqual(['env']);
    expect(r.withCapability('profiles')).toEqual(['file', 'json', 'toml', 'yaml']);
  });

  it('find matches every criterion', () => {
    expect(r.find({ formats: ['yaml'], capabilities: ['remote'] }).map((m) => m.name)).toEqual(['etcd']);
    expect(r.find({ formats: ['yaml', 'json'] }).map((m) => m.name)).toEqual(['etcd', 'file']);
    expect(r.find({ healthCheck: false }).map((m) => m.name)).toEqual(['defaults', 'env']);
    expect(r.find().map((m) => m.name)).toEqual(r.list());
  });

  it('best filters by required, scores preferred, and breaks ties alphabetically', () => {
    expect(r.best({ requiredFormats: ['yaml'] })).toBe('etcd');
    expect(r.best({ requiredFormats: ['yaml'], preferredCapabilities: ['file_loading'] })).toBe('file');
    expect(r.best({ requiredFormats: ['yaml'], preferredFormats: ['env'], preferredCapabilities: ['profiles'] })).toBe('file');
    expect(r.best({ preferredCapabilities: ['remote', 'watching'] })).toBe('etcd');
    expect(r.best({ requiredCapabilities: ['env_vars'] })).toBe('env');
  });

  it('best with unsatisfiable requirements is provider_not_found naming them', async () => {
    const err = await expectConfigError(() => r.best({ requiredFormats: ['ini'] }), { code: ErrorCode.ProviderNotFound });
    expect(err.context?.requirements).toEqual({ requiredFormats: ['ini'] });
  });
});

describe('initialisation', () => {
  it('runs initialize once, on the first use of any method, not in the constructor', () => {
    const initialize = vi.fn((reg: ProviderRegistry) => reg.register('seed', () => stub(), JSON_META));
    const r = new ProviderRegistry({ initialize });
    expect(initialize).not.toHaveBeenCalled();
    expect(r.has('seed')).toBe(true);
    r.list();
    r.forFormat('json');
    expect(initialize).toHaveBeenCalledTimes(1);
  });

  it('a throwing initialize is registry_not_initialized, rolls back its registrations, and is retried', async () => {
    let fail = true;
    const r = new ProviderRegistry({
      initialize: (reg) => {
        reg.register('half', () => stub(), JSON_META);
        if (fail) throw new Error('init broke');
      },
    });
    const err = await expectConfigError(() => r.list(), { code: ErrorCode.RegistryNotInitialized });
    expect((err.cause as Error).message).toBe('init broke');
    fail = false;
    expect(r.list()).toEqual(['half']);
  });
});

describe('the wrapper around created providers', () => {
  it('turns any load rejection into a ConfigError naming the provider, cause kept', async () => {
    const r = new ProviderRegistry();
    const raw: Provider = { name: 'raw', type: 'raw', load: () => Promise.reject('plain string') };
    r.register('raw', () => raw, JSON_META);
    const p = await r.create('raw');
    const err = await expectConfigError(p.load(), { code: ErrorCode.LoadFailed });
    expect(err.provider).toBe('raw');
    expect(err.cause).toBe('plain string');
  });

  it('rejects a layer whose values are not a plain object', async () => {
    const r = new ProviderRegistry();
    for (const values of [new Map([['a', 1]]), [1], null]) {
      r.register('odd', () => ({ name: 'odd', type: 'odd', load: async () => ({ values }) }) as never, JSON_META);
      await expectConfigError((await r.create('odd')).load(), { code: ErrorCode.LoadFailed });
      r.unregister('odd');
    }
  });

  it('keeps name, type, needsLower, local and healthCheck; watch: false drops watch', async () => {
    const r = new ProviderRegistry();
    const health = vi.fn(async () => ({ ok: true }));
    r.register('full', () => ({ name: 'full:1', type: 'full', needsLower: true, local: true, load: async () => ({ values: {} }), watch: () => () => undefined, healthCheck: health }), JSON_META);
    const p = await r.create('full');
    expect(p).toMatchObject({ name: 'full:1', type: 'full', needsLower: true, local: true });
    expect(await p.healthCheck!()).toEqual({ ok: true });
    expect(typeof p.watch).toBe('function');
    expect((await r.create('full', { watch: false })).watch).toBeUndefined();
  });

  it('stops watch callbacks after unsubscribe and after close; close is idempotent and closes once', async () => {
    const r = new ProviderRegistry();
    const listeners = new Set<() => void>();
    const close = vi.fn(async () => undefined);
    r.register('w', () => ({
      name: 'w',
      type: 'w',
      load: async () => ({ values: {} }),
      watch: (cb: () => void) => {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      close,
    }), JSON_META);
    const p = await r.create('w');
    const a = vi.fn();
    const b = vi.fn();
    const stopA = p.watch!(a);
    p.watch!(b);
    listeners.forEach((l) => l());
    stopA();
    stopA();
    listeners.forEach((l) => l());
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 2]);
    await Promise.all([p.close!(), p.close!()]);
    listeners.forEach((l) => l());
    expect(b).toHaveBeenCalledTimes(2);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('an aborted signal rejects create; an instance made after the caller gave up is closed', async () => {
    const r = new ProviderRegistry();
    let release!: () => void;
    const close = vi.fn(async () => undefined);
    r.register('slow', () => new Promise<Provider>((resolve) => (release = () => resolve({ ...stub('slow'), close }))), JSON_META);
    const pre = new AbortController();
    pre.abort();
    await expectConfigError(r.create('slow', {}, { signal: pre.signal }), { code: ErrorCode.LoadFailed });

    const controller = new AbortController();
    const pending = r.create('slow', {}, { signal: controller.signal });
    controller.abort();
    await expectConfigError(pending, { code: ErrorCode.LoadFailed });
    release();
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });
});

describe('supportsHealthCheck, and its deprecated alias healthCheckSupported', () => {
  const base = { supportedFormats: ['yaml'] };
  it('is set by either name, and both read the same', () => {
    const r = new ProviderRegistry();
    r.register('a', () => memoryProvider({}), { ...base, supportsHealthCheck: true });
    r.register('b', () => memoryProvider({}), { ...base, healthCheckSupported: true });
    r.register('c', () => memoryProvider({}), base);
    expect(['a', 'b', 'c'].map((n) => [r.metadata(n).supportsHealthCheck, r.metadata(n).healthCheckSupported])).toEqual([
      [true, true],
      [true, true],
      [false, false],
    ]);
    expect(r.find({ healthCheck: true }).map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('refuses the two names with different values', () => {
    const err = (() => {
      try {
        new ProviderRegistry().register('x', () => memoryProvider({}), { ...base, supportsHealthCheck: true, healthCheckSupported: false });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('invalid_parameters');
    expect(err?.issues?.map((i) => i.path)).toEqual(['healthCheckSupported']);
  });
});
