/**
 * The etcd provider's options: their public types, their checks, and the settings the other parts
 * work from (name, range, timeouts, endpoints without credentials). Nothing here talks to etcd.
 */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { redactUrlCredentials } from '../../foundation/secrets.js';
import type { EtcdFailure, Pem } from './client.js';
import { normalisePrefix, prefixRangeEnd } from './keys.js';

/** Options of {@link etcdProvider}. */
export interface EtcdProviderOptions {
  /**
   * etcd client URLs of the members, e.g. `['http://10.0.0.1:2379', 'http://10.0.0.2:2379']` (all
   * `https://` or all `http://`). Credentials in a URL (`http://app:pw@host:2379`) are taken as
   * `auth` (the same on every URL, and not together with `auth`).
   */
  endpoints: string[];
  /** In `keys` mode, the key prefix whose keys are paths (`/app` reads `/app/…`). */
  prefix: string;
  /** `keys` (default): each key under the prefix is a path. `document`: one key holds a document. */
  mode?: 'keys' | 'document';
  /** `document` mode: the key holding the document. Default: `prefix`. */
  key?: string;
  /** `document` mode: the document's format. Default: from the key's extension, else `yaml`. */
  format?: 'yaml' | 'json' | 'toml';
  /** etcd user and password (the password never appears in errors or logs). */
  auth?: { username: string; password: string };
  /** TLS material as PEM text or bytes; `ca` defaults to the system roots. */
  tls?: { ca?: Pem; cert?: Pem; key?: Pem };
  /**
   * How long to wait for etcd to answer at all before `provider_unavailable`. Default 5000. With
   * several endpoints it is shared among them: one member gets `dialTimeoutMs / members` (at least
   * 500 ms) per request before the next member is tried.
   */
  dialTimeoutMs?: number;
  /** How long one read may take once connected before `remote_load_timeout`. Default 10000. */
  loadTimeoutMs?: number;
  /** Instance name. Default `etcd:<prefix>` (`etcd:<key>` in document mode). */
  name?: string;
  /** Watch lifecycle notifications (for logs, health and tests). Never carries values. */
  onEvent?: (event: EtcdWatchEvent) => void;
}

/**
 * A watch lifecycle notification. `resync` means a full re-read was done and onChange fired.
 * `disconnected` carries why (`reason`: a failure kind such as `unreachable`, `no_leader`,
 * `timeout` for a stalled member); `connected` names the member (`member`, etcd's member id).
 */
export interface EtcdWatchEvent {
  type: 'connected' | 'disconnected' | 'resync' | 'permission_denied';
  /** For `resync`: `compacted`, `canceled` or `revision_decreased`; for `disconnected`: the failure kind. */
  reason?: 'compacted' | 'canceled' | 'revision_decreased' | EtcdFailure;
  /** The revision the event is about (the current one on connect, the new base on resync). */
  revision?: string;
  /** For `connected`: the id of the member holding the watch (decimal). */
  member?: string;
}

/** What the other parts of the provider work from; derived once by {@link resolveOptions}. */
export interface EtcdSettings {
  name: string;
  mode: 'keys' | 'document';
  /** The document key (document mode). */
  docKey: string;
  /** The normalised prefix (keys mode). */
  keysPrefix: string;
  /** `etcd <key or prefix>`: where errors say the data lives. */
  source: string;
  rangeStart: Uint8Array;
  rangeEnd: Uint8Array | undefined;
  /** Without credentials. */
  endpoints: string[];
  auth: { username: string; password: string } | undefined;
  tls: { ca?: Pem; cert?: Pem; key?: Pem } | undefined;
  format: 'yaml' | 'json' | 'toml' | undefined;
  dialTimeoutMs: number;
  loadTimeoutMs: number;
  /** One request to one member (with one member, reads pass their own deadline: dial or load timeout). */
  attemptTimeoutMs: number;
  onEvent: ((event: EtcdWatchEvent) => void) | undefined;
}

const DEFAULT_DIAL_TIMEOUT_MS = 5_000;
const DEFAULT_LOAD_TIMEOUT_MS = 10_000;
const MIN_ATTEMPT_MS = 500;

function invalid(message: string, context?: Record<string, unknown>): ConfigError {
  return new ConfigError({ op: 'etcdProvider', code: ErrorCode.InvalidParameters, message, ...(context ? { context } : {}) });
}

function checkOptions(o: EtcdProviderOptions): void {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  if (!Array.isArray(o.endpoints) || o.endpoints.length === 0 || !o.endpoints.every((e) => typeof e === 'string' && e !== '')) {
    throw invalid('endpoints must be a non-empty list of URLs');
  }
  if (typeof o.prefix !== 'string' || o.prefix === '') throw invalid('prefix must be a non-empty string');
  if (o.mode !== undefined && o.mode !== 'keys' && o.mode !== 'document') throw invalid('mode must be "keys" or "document"');
  if (o.key !== undefined && (typeof o.key !== 'string' || o.key === '')) throw invalid('key must be a non-empty string');
  if (o.format !== undefined && !['yaml', 'json', 'toml'].includes(o.format)) throw invalid('format must be yaml, json or toml');
  for (const f of ['dialTimeoutMs', 'loadTimeoutMs'] as const) {
    const v = o[f];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw invalid(`${f} must be a positive number`);
  }
  if (o.auth !== undefined && (typeof o.auth?.username !== 'string' || typeof o.auth?.password !== 'string')) {
    throw invalid('auth needs a username and a password');
  }
}

/**
 * Splits credentials out of the endpoint URLs. gRPC would read `app:pw@host` as a host name and
 * print it in its errors, so no URL reaches it with user info.
 * @throws ConfigError invalid_parameters (redacted) for a URL that does not parse, credentials
 *   that differ between URLs, or credentials both in a URL and in `auth`
 */
function splitCredentials(endpoints: readonly string[], auth: EtcdProviderOptions['auth']): { endpoints: string[]; auth: EtcdSettings['auth'] } {
  const found: { username: string; password: string }[] = [];
  const plain = endpoints.map((raw) => {
    if (!raw.includes('@')) return raw;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalid(`endpoint is not a URL: ${redactUrlCredentials(raw)}`, { endpoint: redactUrlCredentials(raw) });
    }
    if (url.username === '' && url.password === '') return raw;
    found.push({ username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    url.username = '';
    url.password = '';
    return url.origin;
  });
  const endpointsOut = plain.map((e) => redactUrlCredentials(e));
  if (found.length === 0) return { endpoints: endpointsOut, auth };
  const first = found[0]!;
  if (auth !== undefined) throw invalid('credentials are given both in an endpoint URL and in auth; give them once, in auth', { endpoints: endpointsOut });
  if (found.length !== endpoints.length || found.some((c) => c.username !== first.username || c.password !== first.password)) {
    throw invalid('endpoint URLs carry different credentials; give one user in auth', { endpoints: endpointsOut });
  }
  return { endpoints: endpointsOut, auth: first };
}

/**
 * Checks the options and derives the settings.
 * @throws ConfigError invalid_parameters
 */
export function resolveOptions(options: EtcdProviderOptions): EtcdSettings {
  checkOptions(options);
  const mode = options.mode ?? 'keys';
  const docKey = options.key ?? options.prefix;
  const keysPrefix = normalisePrefix(options.prefix);
  const rangeStart: Uint8Array = Buffer.from(mode === 'document' ? docKey : keysPrefix, 'utf8');
  const { endpoints, auth } = splitCredentials(options.endpoints, options.auth);
  const dialTimeoutMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  return {
    name: options.name ?? `etcd:${mode === 'document' ? docKey : options.prefix}`,
    mode,
    docKey,
    keysPrefix,
    source: `etcd ${mode === 'document' ? docKey : keysPrefix}`,
    rangeStart,
    rangeEnd: mode === 'document' ? undefined : prefixRangeEnd(rangeStart),
    endpoints,
    auth,
    tls: options.tls,
    format: options.format,
    dialTimeoutMs,
    loadTimeoutMs: options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
    attemptTimeoutMs: endpoints.length > 1 ? Math.max(MIN_ATTEMPT_MS, Math.floor(dialTimeoutMs / endpoints.length)) : dialTimeoutMs,
    onEvent: options.onEvent,
  };
}
