import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, isSecretPath, redact, redactUrlCredentials } from '../src/foundation/secrets.js';

describe('isSecretKey', () => {
  it.each([
    'api_key', 'apiKey', 'openaiApiKey', 'OPENAI_API_KEY', 'apikey', 'connection_string', 'connectionString', 'DB_PASSWORD',
    'passwd', 'access_token', 'refreshToken', 'client_secret', 'credentials', 'credential', 'private_key', 'privateKey', 'secrets',
  ])('%s is a secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['max_tokens', 'tokens', 'name', 'model_name', 'key', 'api', 'keyword', 'tokenizer', 'base_url', 'private'])(
    '%s is not a secret',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe('redact', () => {
  it('replaces every non-null leaf under a secret key, keeping the shape', () => {
    const tree = { a: { api_key: 'x', n: 1 }, credentials: { user: 'u', pass: ['p'], none: null }, list: [{ token: 't' }] };
    expect(redact(tree)).toEqual({
      a: { api_key: REDACTED, n: 1 },
      credentials: { user: REDACTED, pass: [REDACTED], none: null },
      list: [{ token: REDACTED }],
    });
    expect(tree.a.api_key).toBe('x');
  });

  it('honours extra secret paths', () => {
    expect(redact({ db: { dsn: 'x', port: 1 } }, new Set(['db.dsn']))).toEqual({ db: { dsn: REDACTED, port: 1 } });
    expect(isSecretPath('db.dsn.part', new Set(['db.dsn']))).toBe(true);
    expect(isSecretPath('db.port', new Set(['db.dsn']))).toBe(false);
  });
});

describe('schema-marked secret paths with *', () => {
  const marked = new Set(['db.url', 'llm_providers.*.api_base', 'services.*.auth.*']);
  it.each([
    ['db.url', true],
    ['db.url.part', true],
    ['llm_providers.0.api_base', true],
    ['llm_providers.openai.api_base', true],
    ['llm_providers.0.model_name', false],
    ['services.a.auth.b', true],
    ['services.a.auth', false],
    ['services.a.other.b', false],
    ['db.host', false],
  ])('%s is secret: %s', (path, secret) => {
    expect(isSecretPath(path, marked)).toBe(secret);
    expect(isSecretPath(path.split('.'), marked)).toBe(secret);
  });

  it('redacts whole subtrees at marked paths, list items and map keys alike', () => {
    const tree = { db: { url: 'x', host: 'h' }, llm_providers: [{ name: 'a', api_base: 'https://b' }], services: { s: { auth: { k: 1 } } } };
    expect(redact(tree, marked)).toEqual({
      db: { url: REDACTED, host: 'h' },
      llm_providers: [{ name: 'a', api_base: REDACTED }],
      services: { s: { auth: { k: REDACTED } } },
    });
  });

  it('sees paths added to the set after its first use', () => {
    const grow = new Set(['a.*']);
    expect(isSecretPath('b.c', grow)).toBe(false);
    grow.add('b.*');
    expect(isSecretPath('b.c', grow)).toBe(true);
  });
});

describe('redact masks URL passwords under any key', () => {
  it('in every string of the tree, whatever its key, keeping the rest of the URL', () => {
    const tree = { db: { url: 'postgres://u:p4ss@localhost/db', list: ['redis://:s3cret@r:6379', 'plain'] }, n: 1 };
    expect(redact(tree)).toEqual({ db: { url: `postgres://u:${REDACTED}@localhost/db`, list: [`redis://:${REDACTED}@r:6379`, 'plain'] }, n: 1 });
  });
});

describe('redactUrlCredentials', () => {
  it('masks the password of a URL with user info, keeping scheme, user and host', () => {
    expect(redactUrlCredentials('postgres://u:p@localhost/db')).toBe(`postgres://u:${REDACTED}@localhost/db`);
    expect(redactUrlCredentials('connect to http://app:pw@etcd-1:2379 failed')).toBe(`connect to http://app:${REDACTED}@etcd-1:2379 failed`);
  });
  it('masks every URL in a text, and a password holding "@" up to the host', () => {
    const out = redactUrlCredentials('a=redis://:s3cret@r:6379 b=amqp://x:p@ss@mq/vh');
    expect(out).toBe(`a=redis://:${REDACTED}@r:6379 b=amqp://x:${REDACTED}@mq/vh`);
    expect(out).not.toMatch(/s3cret|p@ss/);
  });
  it('leaves URLs without a password, and texts without URLs, unchanged', () => {
    for (const text of ['http://user@host/x', 'https://host:443/a@b', 'mail me at a@b.c', 'plain']) {
      expect(redactUrlCredentials(text)).toBe(text);
    }
  });
});
