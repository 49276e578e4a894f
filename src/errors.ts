/**
 * ConfigError, the one error type confstack throws, and its renderers.
 * Owns: error codes, cause-chain walking, human and machine formatting (the only places
 * errors are rendered, so redaction lives here). Imports nothing else of ours but secrets.ts.
 */
import { isSecretKey, redact, redactUrlCredentials, REDACTED } from './secrets.js';

/** Every error code confstack raises. Codes are the contract; messages are for humans. */
export const ErrorCode = {
  InvalidConfig: 'invalid_config',
  ValidationFailed: 'validation_failed',
  FileNotFound: 'file_not_found',
  FileAccessError: 'file_access_error',
  ParseFailed: 'parse_failed',
  UnsupportedFormat: 'unsupported_format',
  MissingRequired: 'missing_required',
  InvalidParameters: 'invalid_parameters',
  LoadFailed: 'load_failed',
  ProviderUnavailable: 'provider_unavailable',
  RemoteLoadTimeout: 'remote_load_timeout',
  AllProvidersFailed: 'all_providers_failed',
  ConfigNotFound: 'config_not_found',
  KeyNotFound: 'key_not_found',
  TypeMismatch: 'type_mismatch',
  InterpolationFailed: 'interpolation_failed',
  EnvironmentError: 'environment_error',
  RegistryNotInitialized: 'registry_not_initialized',
  ProviderNotFound: 'provider_not_found',
  ProviderAlreadyRegistered: 'provider_already_registered',
  ProviderCreationFailed: 'provider_creation_failed',
  ProviderConfigInvalid: 'provider_config_invalid',
  LimitExceeded: 'limit_exceeded',
  ReloadRejected: 'reload_rejected',
  ForbiddenKey: 'forbidden_key',
  DuplicateKey: 'duplicate_key',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const ALL_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
/**
 * Codes whose failures are transient by default (a retry may succeed). As the Go package's table:
 * `load_failed` (retry after 2 s there) and `provider_creation_failed` (3 s) too, since their
 * usual cause is I/O in a provider or its creator; the permanent cases among them (an abort, a
 * provider breaking the Layer contract, a creator returning no Provider) say `retryable: false`.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ErrorCode.ProviderUnavailable,
  ErrorCode.RemoteLoadTimeout,
  ErrorCode.LoadFailed,
  ErrorCode.ProviderCreationFailed,
]);

/** Where a problem is: a file position, a key path, or another source (`env X`, `etcd /k@rev`). */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  key?: string;
  /** A non-file source rendered by describeOrigin(): `env CONFSTACK_X`, `etcd /app/x@12`. */
  source?: string;
}

/**
 * The source of a value. `location` is a file path, env var name, etcd key…; line/column 1-based.
 * Declared here, the lowest module that names it (ConfigIssue); tree/origins.ts re-exports it
 * with the functions that render it.
 */
export interface Origin {
  provider: string;
  type: string;
  location?: string;
  line?: number;
  column?: number;
}

/** One problem among many (validation, merge). Origin is the source that set the bad value. */
export interface ConfigIssue {
  path: string;
  message: string;
  code?: string;
  origin?: Origin;
}

export interface ConfigErrorInit {
  op: string;
  code: ErrorCode;
  message: string;
  cause?: unknown;
  provider?: string;
  format?: string;
  location?: ErrorLocation;
  context?: Record<string, unknown>;
  issues?: ConfigIssue[];
  retryable?: boolean;
}

const BRAND = Symbol.for('confstack.ConfigError');

/**
 * The error confstack throws for every failure user input can cause.
 * `message` reads `<op>: <what happened> (<file>:<line>:<col>) [<code>]` and is built from fields,
 * never from config values.
 * @example
 * try { await loadConfig() } catch (err) { if (isConfigError(err, 'parse_failed')) console.error(formatConfigError(err)) }
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly op: string;
  readonly code: ErrorCode;
  readonly provider?: string;
  readonly format?: string;
  readonly location?: ErrorLocation;
  readonly context?: Record<string, unknown>;
  readonly issues?: ConfigIssue[];
  readonly retryable: boolean;
  /** The short description without op, location and code. */
  readonly detail: string;
  declare readonly cause?: unknown;

  constructor(init: ConfigErrorInit) {
    // Every text is redacted here, once, so no rendering (message, stack, toJSON, inspect, a
    // logger's own serializer) can show a URL password, whoever built the error.
    const location = init.location === undefined ? undefined : redactLocation(init.location);
    super(redactUrlCredentials(renderMessage({ ...init, ...(location ? { location } : {}) })), init.cause === undefined ? undefined : { cause: init.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.op = init.op;
    this.code = ALL_CODES.has(init.code) ? init.code : ErrorCode.InvalidConfig;
    this.detail = redactUrlCredentials(init.message);
    if (init.provider !== undefined) this.provider = redactUrlCredentials(init.provider);
    if (init.format !== undefined) this.format = init.format;
    if (location !== undefined) this.location = location;
    if (init.context !== undefined) this.context = redactContext(init.context);
    if (init.issues !== undefined) this.issues = init.issues.map(redactIssue);
    this.retryable = init.retryable ?? RETRYABLE_CODES.has(this.code);
    if (init.cause !== undefined) maskForeignCauses(init.cause);
  }

  /** Machine-readable form (CLI `--json`, loggers). Redacted: causes are summarised, never dumped. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      op: this.op,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.provider !== undefined) out.provider = this.provider;
    if (this.format !== undefined) out.format = this.format;
    if (this.location !== undefined) out.location = this.location;
    if (this.context !== undefined) out.context = this.context;
    if (this.issues !== undefined) out.issues = this.issues;
    if (this.cause !== undefined) out.cause = summariseCause(this.cause);
    return out;
  }

  /**
   * `util.inspect` / `console.log`: the stack and the redacted fields; the cause summarised as in
   * toJSON (a foreign cause's message may echo source text), never dumped.
   */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect?: (v: unknown, o: object) => string): string {
    const { name: _n, message: _m, ...fields } = this.toJSON();
    const render = inspect ?? ((v: unknown) => JSON.stringify(v));
    return `${this.stack ?? this.message} ${render(fields, options)}`;
  }
}

/** Renders a location as `file:line:col`, `env X`, or `key a.b`. */
export function describeLocation(loc: ErrorLocation | undefined): string | undefined {
  if (!loc) return undefined;
  if (loc.file !== undefined) {
    let s = loc.file;
    if (loc.line !== undefined) {
      s += `:${loc.line}`;
      if (loc.column !== undefined) s += `:${loc.column}`;
    }
    return loc.key !== undefined ? `${s}, key ${loc.key}` : s;
  }
  if (loc.source !== undefined) return loc.key !== undefined ? `${loc.source}, key ${loc.key}` : loc.source;
  if (loc.key !== undefined) return `key ${loc.key}`;
  return undefined;
}

function renderMessage(init: ConfigErrorInit): string {
  const where = describeLocation(init.location);
  return `${init.op}: ${init.message}${where ? ` (${where})` : ''} [${init.code}]`;
}

function redactContext(ctx: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx)) out[k] = isSecretKey(k) ? REDACTED : redact(v);
  return out;
}

/**
 * Loggers walk the cause chain themselves (pino's serializer appends every cause's message and
 * stack), so a foreign cause whose text holds a URL password (a driver's "connect to
 * http://u:pw@h failed") is masked in place: only the password changes, the error stays the
 * same object. ConfigErrors in the chain are already masked.
 */
function maskForeignCauses(cause: unknown): void {
  const queue: unknown[] = [cause];
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const e = queue.shift();
    if (!(e instanceof Error) || isBranded(e)) continue;
    for (const key of ['message', 'stack'] as const) {
      try {
        const text = e[key];
        if (typeof text !== 'string') continue;
        const masked = redactUrlCredentials(text);
        if (masked !== text) Object.defineProperty(e, key, { value: masked, writable: true, configurable: true, enumerable: false });
      } catch {
        // A frozen or exotic error stays as it is; our own renderers never print its text anyway.
      }
    }
    if (e instanceof AggregateError) queue.push(...e.errors);
    if (e.cause !== undefined) queue.push(e.cause);
  }
}

function redactLocation(loc: ErrorLocation): ErrorLocation {
  const out = { ...loc };
  if (out.file !== undefined) out.file = redactUrlCredentials(out.file);
  if (out.source !== undefined) out.source = redactUrlCredentials(out.source);
  if (out.key !== undefined) out.key = redactUrlCredentials(out.key);
  return out;
}

function redactIssue(issue: ConfigIssue): ConfigIssue {
  const out = { ...issue, message: redactUrlCredentials(issue.message) };
  const o = issue.origin;
  if (o !== undefined && (o.provider.includes('@') || o.location?.includes('@'))) {
    out.origin = { ...o, provider: redactUrlCredentials(o.provider), ...(o.location !== undefined ? { location: redactUrlCredentials(o.location) } : {}) };
  }
  return out;
}

function summariseCause(cause: unknown, depth = 0): unknown {
  if (depth > 8) return { name: 'Error' };
  if (isBranded(cause)) return cause.toJSON();
  if (cause instanceof AggregateError) {
    return { name: 'AggregateError', errors: cause.errors.map((e) => summariseCause(e, depth + 1)) };
  }
  if (cause instanceof Error) {
    // Foreign messages may echo source text (and so secrets): keep only the name and errno code.
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? { name: cause.name, code } : { name: cause.name };
  }
  return { name: typeof cause };
}

function isBranded(err: unknown): err is ConfigError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/** Walks `cause` (and AggregateError members) from `err`, yielding each error once. */
function* causeChain(err: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 64) {
    const e = queue.shift();
    if (e === undefined || e === null || seen.has(e)) continue;
    seen.add(e);
    yield e;
    if (typeof e === 'object') {
      if (e instanceof AggregateError) queue.push(...e.errors);
      const c = (e as { cause?: unknown }).cause;
      if (c !== undefined) queue.push(c);
    }
  }
}

/**
 * True if `err` or anything in its cause chain is a ConfigError (with `code`, when given).
 * Works across duplicate installs of confstack (brand symbol, not instanceof).
 */
export function isConfigError(err: unknown, code?: ErrorCode): err is ConfigError {
  for (const e of causeChain(err)) {
    if (isBranded(e) && (code === undefined || e.code === code)) return true;
  }
  return false;
}

/** The first ConfigError in `err`'s cause chain, or undefined. */
export function asConfigError(err: unknown): ConfigError | undefined {
  for (const e of causeChain(err)) if (isBranded(e)) return e;
  return undefined;
}

/**
 * Wraps anything thrown at a boundary into a ConfigError, once: a ConfigError passes through
 * unchanged; anything else becomes `init` with the original as `cause`.
 */
export function toConfigError(err: unknown, init: Omit<ConfigErrorInit, 'cause'>): ConfigError {
  if (isBranded(err)) return err;
  return new ConfigError({ ...init, cause: err });
}

/** Multi-line rendering for humans (the CLI): the message, every issue, and the cause codes. */
export function formatConfigError(err: ConfigError): string {
  const lines = [err.message];
  for (const issue of err.issues ?? []) {
    const where = issue.origin ? describeIssueOrigin(issue.origin) : undefined;
    lines.push(`  - ${issue.path || '(root)'}: ${issue.message}${issue.code ? ` [${issue.code}]` : ''}${where ? ` (${where})` : ''}`);
  }
  let cause = err.cause;
  let depth = 0;
  while (cause !== undefined && depth < 8) {
    if (cause instanceof AggregateError) {
      for (const e of cause.errors) lines.push(`  caused by: ${isBranded(e) ? e.message : (e as Error)?.name ?? typeof e}`);
      break;
    }
    if (isBranded(cause)) lines.push(`  caused by: ${cause.message}`);
    else if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      lines.push(`  caused by: ${cause.name}${typeof code === 'string' ? ` ${code}` : ''}`);
    }
    cause = (cause as { cause?: unknown } | undefined)?.cause;
    depth++;
  }
  return lines.join('\n');
}

function describeIssueOrigin(o: { type: string; provider: string; location?: string; line?: number; column?: number }): string {
  if (o.location === undefined) return o.provider;
  if (o.type === 'env') return `env ${o.location}`;
  if (o.line !== undefined) return `${o.location}:${o.line}${o.column !== undefined ? `:${o.column}` : ''}`;
  return o.type === 'file' ? o.location : `${o.type} ${o.location}`;
}
