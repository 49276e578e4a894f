import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ConfigError, ErrorCode, asConfigError, formatConfigError, isConfigError, toConfigError } from '../src/foundation/errors.js';
import { CANARY, expectNoSecret } from './support/errors.js';

describe('ConfigError', () => {
  it('builds its message from fields: op, what, location, code', () => {
    const err = new ConfigError({ op: 'parse', code: 'parse_failed', message: 'unexpected token', location: { file: 'a.yaml', line: 3, column: 7 } });
    expect(err.message).toBe('parse: unexpected token (a.yaml:3:7) [parse_failed]');
    expect(err.name).toBe('ConfigError');
    expect(err).toBeInstanceOf(Error);
    expect(new ConfigError({ op: 'load', code: 'type_mismatch', message: 'm', location: { source: 'env X', key: 'a.b' } }).message).toBe(
      'load: m (env X, key a.b) [type_mismatch]',
    );
  });

  it('knows which codes are retryable by default, and lets callers say otherwise', () => {
    expect(new ConfigError({ op: 'o', code: 'provider_unavailable', message: 'm' }).retryable).toBe(true);
    expect(new ConfigError({ op: 'o', code: 'parse_failed', message: 'm' }).retryable).toBe(false);
    expect(new ConfigError({ op: 'o', code: 'file_access_error', message: 'm', retryable: true }).retryable).toBe(true);
  });

  it('lists every code of the API contract', () => {
    expect(Object.values(ErrorCode).sort()).toEqual(
      `invalid_config validation_failed file_not_found file_access_error parse_failed unsupported_format
missing_required invalid_parameters load_failed provider_unavailable remote_load_timeout
all_providers_failed config_not_found key_not_found type_mismatch interpolation_failed environment_error
registry_not_initialized provider_not_found provider_already_registered provider_creation_failed
provider_config_invalid limit_exceeded reload_rejected forbidden_key duplicate_key`
        .split(/\s+/)
        .sort(),
    );
  });

  it('redacts secret-named context keys and summarises foreign causes in toJSON', () => {
    const foreign = new SyntaxError(`Unexpected token in "${CANARY}"`);
    const err = new ConfigError({ op: 'o', code: 'parse_failed', message: 'm', cause: foreign, context: { api_key: CANARY, path: 'a' } });
    const json = JSON.stringify(err);
    expectNoSecret(json);
    expect(JSON.parse(json)).toMatchObject({ code: 'parse_failed', context: { api_key: '[REDACTED]', path: 'a' }, cause: { name: 'SyntaxError' } });
    expectNoSecret(formatConfigError(err));
  });
});

describe('isConfigError / asConfigError', () => {
  const inner = new ConfigError({ op: 'load', code: 'file_not_found', message: 'm' });
  it.each([
    ['the error itself', inner],
    ['a plain Error wrapping it', new Error('outer', { cause: inner })],
    ['two levels deep', new Error('a', { cause: new TypeError('b', { cause: inner }) })],
    ['inside an AggregateError', new AggregateError([new Error('x'), inner])],
  ])('finds it in %s', (_, err) => {
    expect(isConfigError(err)).toBe(true);
    expect(isConfigError(err, 'file_not_found')).toBe(true);
    expect(isConfigError(err, 'parse_failed')).toBe(false);
    expect(asConfigError(err)).toBe(inner);
  });

  it('answers false for anything else, including cycles', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    for (const v of [undefined, null, 'str', 42, new Error('x'), a, { code: 'parse_failed' }]) {
      expect(isConfigError(v)).toBe(false);
      expect(asConfigError(v)).toBeUndefined();
    }
  });

  it('recognises a ConfigError from another copy of the library by its brand', () => {
    const other = Object.create(Error.prototype, { [Symbol.for('confstack.ConfigError')]: { value: true }, code: { value: 'limit_exceeded' } });
    expect(isConfigError(other, 'limit_exceeded')).toBe(true);
  });
});

describe('toConfigError', () => {
  it('passes ConfigErrors through and wraps anything else once', () => {
    const ce = new ConfigError({ op: 'a', code: 'parse_failed', message: 'm' });
    expect(toConfigError(ce, { op: 'b', code: 'load_failed', message: 'x' })).toBe(ce);
    const wrapped = toConfigError('boom', { op: 'b', code: 'load_failed', message: 'x', provider: 'p' });
    expect(wrapped).toMatchObject({ code: 'load_failed', provider: 'p', cause: 'boom' });
  });
});

describe('formatConfigError', () => {
  it('renders one line per issue with its origin, and the cause chain', () => {
    const err = new ConfigError({
      op: 'validate',
      code: 'validation_failed',
      message: '2 issues',
      issues: [
        { path: 'server.port', message: 'expected number', code: 'invalid_type', origin: { provider: 'env', type: 'env', location: 'APP_SERVER__PORT' } },
        { path: 'agents.0.name', message: 'required', origin: { provider: 'f', type: 'file', location: 'c.yaml', line: 4, column: 3 } },
      ],
      cause: new ConfigError({ op: 'parse', code: 'parse_failed', message: 'inner' }),
    });
    expect(formatConfigError(err)).toBe(
      [
        'validate: 2 issues [validation_failed]',
        '  - server.port: expected number [invalid_type] (env APP_SERVER__PORT)',
        '  - agents.0.name: required (c.yaml:4:3)',
        '  caused by: parse: inner [parse_failed]',
      ].join('\n'),
    );
  });
});

describe('ConfigError redacts URL passwords itself (issue 14)', () => {
  const url = `http://app:${CANARY}@etcd-1:2379`;
  const err = new ConfigError({
    op: 'load',
    code: 'provider_unavailable',
    message: `cannot reach ${url}`,
    provider: `etcd:${url}`,
    location: { source: `etcd ${url}/app`, key: 'a' },
    context: { endpoints: [url], nested: { dsn: `postgres://u:${CANARY}@db/x` }, token: 'x' },
    issues: [{ path: 'db.url', message: `bad ${url}`, origin: { provider: `etcd:${url}`, type: 'etcd', location: `${url}/app/db/url` } }],
    cause: new Error(`connect ECONNREFUSED ${url}`),
  });
  it.each([
    ['message', () => err.message],
    ['detail', () => err.detail],
    ['stack', () => String(err.stack)],
    ['provider', () => err.provider],
    ['location', () => err.location],
    ['context', () => err.context],
    ['issues', () => err.issues],
    ['toJSON', () => JSON.stringify(err)],
    ['formatConfigError', () => formatConfigError(err)],
    ['util.inspect (console.log)', () => inspect(err, { depth: 10 })],
  ])('%s has no password and keeps the rest of the URL', (_name, render) => {
    const text = typeof render() === 'string' ? (render() as string) : JSON.stringify(render());
    expectNoSecret(text);
  });
  it('keeps what is not a password: scheme, user, host', () => {
    expect(err.message).toContain('http://app:[REDACTED]@etcd-1:2379');
    expect(err.context).toMatchObject({ token: '[REDACTED]', nested: { dsn: 'postgres://u:[REDACTED]@db/x' } });
  });
  it('masks a URL password in a foreign cause (loggers append cause messages and stacks), keeping the same cause object', () => {
    const inner = new Error(`socket to redis://:${CANARY}@r:6379 closed`);
    const foreign = new Error(`connect to ${url} failed`, { cause: inner });
    const e = new ConfigError({ op: 'load', code: 'load_failed', message: 'x', cause: foreign });
    expect(e.cause).toBe(foreign);
    for (const c of [foreign, inner]) {
      expectNoSecret(c.message);
      expectNoSecret(String(c.stack));
    }
    expect(foreign.message).toBe('connect to http://app:[REDACTED]@etcd-1:2379 failed');
  });

  it('inspect summarises a foreign cause by name, never its message', () => {
    const text = inspect(err, { depth: 10 });
    expect(text).toContain('provider_unavailable');
    expect(text).not.toContain('ECONNREFUSED');
  });
});
