import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, isSecretPath, redact } from '../src/secrets.js';

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
