import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, isSecretPath, redact, redactUrlCredentials } from '../src/secrets.js';

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
