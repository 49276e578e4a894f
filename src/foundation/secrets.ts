/**
 * What counts as a secret, and redaction of trees. Used by config, errors, logs, CLI and health.
 * Imports nothing else of ours.
 */

/** The text every secret value is shown as. */
export const REDACTED = '[REDACTED]';

const SECRET_WORDS: ReadonlySet<string> = new Set([
  'secret', 'secrets', 'password', 'passwd', 'passphrase', 'token', 'credential', 'credentials', 'apikey', 'privatekey',
]);
const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['private', 'key'],
  ['connection', 'string'],
];

/** Splits a key into lower-case words on `_`, `-`, `.`, spaces and camelCase boundaries. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-]+/)
    .filter((w) => w.length > 0);
}

const secretKeyCache = new Map<string, boolean>();

/**
 * True if a key names a secret: `api_key`, `connection_string`, or any key whose words include
 * secret, password, passwd, token, credential(s), api key or private key. `max_tokens` is not.
 */
export function isSecretKey(key: string): boolean {
  const cached = secretKeyCache.get(key);
  if (cached !== undefined) return cached;
  const words = keyWords(key);
  let secret = words.some((w) => SECRET_WORDS.has(w));
  for (let i = 0; !secret && i < words.length - 1; i++) {
    secret = SECRET_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b);
  }
  if (secretKeyCache.size < 10_000) secretKeyCache.set(key, secret);
  return secret;
}

/**
 * Schema-marked secret paths, compiled once per set: exact dotted paths in a set, and the patterns
 * holding `*` (one segment: a list index or a map key) split into segments, grouped by length.
 */
interface SecretMatcher {
  size: number;
  exact: ReadonlySet<string>;
  wild: ReadonlyMap<number, readonly (readonly string[])[]>;
}
const matchers = new WeakMap<ReadonlySet<string>, SecretMatcher>();

function matcherOf(extra: ReadonlySet<string>): SecretMatcher {
  let m = matchers.get(extra);
  // The size check recompiles a set the caller grew or shrank after first use.
  if (m === undefined || m.size !== extra.size) {
    const wild = new Map<number, string[][]>();
    for (const p of extra) {
      const segs = p.split('.');
      if (!segs.includes('*')) continue;
      const group = wild.get(segs.length);
      if (group) group.push(segs);
      else wild.set(segs.length, [segs]);
    }
    m = { size: extra.size, exact: extra, wild };
    matchers.set(extra, m);
  }
  return m;
}

function matchesAt(m: SecretMatcher, segments: readonly string[], length: number, prefix: string): boolean {
  if (m.exact.has(prefix)) return true;
  const group = m.wild.get(length);
  if (group === undefined) return false;
  for (const pattern of group) {
    let ok = true;
    for (let i = 0; ok && i < length; i++) ok = pattern[i] === '*' || pattern[i] === segments[i];
    if (ok) return true;
  }
  return false;
}

/**
 * True if any segment of a key path is a secret key, or the path is at or under one of `extra`:
 * dotted key paths a schema marked secret, where `*` matches any one segment (a list index or a
 * map key): `db.url`, `llm_providers.*.api_key`.
 */
export function isSecretPath(path: string | readonly string[], extra?: ReadonlySet<string>): boolean {
  const segments = typeof path === 'string' ? path.split('.') : path;
  if (segments.some((s) => isSecretKey(s))) return true;
  if (extra && extra.size > 0) {
    const m = matcherOf(extra);
    let prefix = '';
    for (let i = 0; i < segments.length; i++) {
      prefix = i === 0 ? segments[0]! : `${prefix}.${segments[i]}`;
      if (matchesAt(m, segments, i + 1, prefix)) return true;
    }
  }
  return false;
}

/**
 * A redacted deep copy of a tree: every non-null leaf under a secret key (or a path in `extra`,
 * see isSecretPath) becomes REDACTED, and every other string has the password of any URL in it
 * masked (redactUrlCredentials), whatever its key is called.
 */
export function redact(value: unknown, extra?: ReadonlySet<string>, path: string[] = []): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (Array.isArray(value)) return value.map((v, i) => redact(v, extra, [...path, String(i)]));
  if (value !== null && typeof value === 'object' && isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const childPath = [...path, k];
      out[k] = isSecretPath(childPath, extra) ? redactAll(v) : redact(v, extra, childPath);
    }
    return out;
  }
  return value;
}

/** A plain object (a container); other objects (a TomlDateTime) are leaves. */
function isPlainRecord(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Replaces every non-null leaf of a subtree with REDACTED, keeping its shape. */
export function redactAll(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(redactAll);
  if (typeof value === 'object' && isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactAll(v);
    return out;
  }
  return REDACTED;
}

/**
 * Masks the password of every URL with user info in a text: `scheme://user:pass@host` becomes
 * `scheme://user:[REDACTED]@host` (as Spring Boot's sanitizer does); a user with no password is
 * kept, since a bare user name is not a credential. Works on any string, whatever key holds it.
 */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
}
// scheme "://" user ":" password "@". The password runs to the last "@" before the path, as URL
// parsers read it, so an unescaped "@" inside a password is masked too.
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/?#@[\]]*):[^\s/?#]*@/g;
