/**
 * ConfigError, the one error type confstack throws, and its renderers.
 * Owns: error codes, cause-chain walking, human and machine formatting (the only places
 * errors are rendered, so redaction lives here). Imports nothing else of ours but secrets.ts and
 * code-frame.ts (source excerpts).
 */
import { codeFrame, sourceLineReader } from './code-frame.js';
import { isSecretKey, isSecretPath, redact, redactUrlCredentials, REDACTED } from './secrets.js';

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
 * util.inspect's hook, by its registered name: no import of node:util in the .d.ts, nor at import
 * (its ES-module facade costs ~0.8 ms for a hook that runs only when something is printed).
 */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

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
  // `declare`: an optional field that was not given is absent, not an own `undefined` property.
  declare readonly provider?: string;
  declare readonly format?: string;
  declare readonly location?: ErrorLocation;
  declare readonly context?: Record<string, unknown>;
  /** Not enumerable (like `detail`): Node prints an uncaught error's enumerable fields, all of them. */
  declare readonly issues?: ConfigIssue[];
  readonly retryable: boolean;
  /** The short description without op, location and code. */
  declare readonly detail: string;
  declare readonly cause?: unknown;

  constructor(init: ConfigErrorInit) {
    // Every text is redacted here, once, so no rendering (message, stack, toJSON, inspect, a
    // logger's own serializer) can show a URL password, whoever built the error.
    const location = init.location === undefined ? undefined : redactLocation(init.location);
    const message = redactUrlCredentials(renderMessage({ ...init, ...(location ? { location } : {}) }));
    const options = init.cause === undefined ? undefined : { cause: init.cause };
    // No frames for Error's own stack: installReportStack captures them once, and replacing a
    // captured stack makes V8 (Node 20) format it first, which took most of the construction.
    const limit = Error.stackTraceLimit;
    const framesOff = trySetStackTraceLimit(0);
    try {
      super(message, options);
    } finally {
      if (framesOff) Error.stackTraceLimit = limit;
    }
    Object.defineProperty(this, BRAND, { value: true });
    this.op = init.op;
    this.code = ALL_CODES.has(init.code) ? init.code : ErrorCode.InvalidConfig;
    hide(this, 'detail', redactUrlCredentials(init.message));
    if (init.provider !== undefined) this.provider = redactUrlCredentials(init.provider);
    if (init.format !== undefined) this.format = init.format;
    if (location !== undefined) this.location = location;
    if (init.context !== undefined) this.context = redactContext(init.context);
    if (init.issues !== undefined) hide(this, 'issues', init.issues.map(redactIssue));
    this.retryable = init.retryable ?? RETRYABLE_CODES.has(this.code);
    if (init.cause !== undefined) maskForeignCauses(init.cause);
    installReportStack(this);
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
   * What `console.log(err)` and `util.inspect(err)` print: the report the CLI prints
   * (`file:line:col: message [code]`, the source line with secrets masked, at most 20 issues),
   * then the stack frames, then each cause's frames under its name.
   */
  [INSPECT](depth: number): string {
    return depth < 0 ? `[ConfigError: ${this.code}]` : inspectConfigError(this);
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
    } else lines.push(`  caused by: ${nonErrorLabel(cause)}`);
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

/** A thrown value that is not an Error, named by its type only (its text may hold a secret). */
function nonErrorLabel(value: unknown): string {
  return `a thrown ${value === null ? 'null' : typeof value} (not an Error)`;
}

/** Options of formatErrorReport. */
export interface ErrorReportOptions {
  /** Issues shown before "… and N more issues" (default: all). */
  maxIssues?: number;
  /** Append the `caused by:` lines of formatConfigError (default true). */
  causes?: boolean;
  /** Key paths the schema marks secret: their source lines are masked whole. */
  secretPaths?: ReadonlySet<string>;
  /** Show the source line under each location (default true; secret values masked). */
  excerpts?: boolean;
}

/**
 * The compiler-style report of an error, as the CLI prints it: `file:line:col: op: message [code]`
 * and the offending source line with a caret (secret values masked), one such block per
 * validation issue, then the cause codes. No stack trace. Reads the files the locations name.
 */
export function formatErrorReport(err: ConfigError, options: ErrorReportOptions = {}): string {
  const out: string[] = [];
  const readLine = sourceLineReader();
  const excerpt = (file: string | undefined, line: number | undefined, column: number | undefined, secret: boolean): void => {
    if (options.excerpts === false) return;
    const src = file === undefined || line === undefined ? undefined : readLine(file, line);
    if (src !== undefined) out.push(codeFrame(src, line!, column, secret));
  };
  const loc = err.location;
  const issues = err.issues ?? [];
  if (issues.length > 0) {
    // Each issue gets its own located block below; the header only summarises.
    out.push(`confstack: ${err.op}: ${err.detail} [${err.code}]`);
  } else if (loc?.file !== undefined) {
    const pos = loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}` : '';
    out.push(`${loc.file}${pos}: ${err.op}: ${err.detail} [${err.code}]`);
    excerpt(loc.file, loc.line, loc.column, loc.key !== undefined && isSecretKeyPath(loc.key, options.secretPaths));
  } else {
    out.push(`confstack: ${err.message}`);
  }
  const shown = Math.min(issues.length, options.maxIssues ?? issues.length);
  for (const issue of issues.slice(0, shown)) {
    const text = `${issue.path || '(root)'}: ${issue.message} [${issue.code ?? err.code}]`;
    const o = issue.origin;
    if (o && o.location !== undefined && o.line !== undefined) {
      out.push(`${o.location}:${o.line}${o.column !== undefined ? `:${o.column}` : ''}: ${text}`);
      excerpt(o.location, o.line, o.column, isSecretKeyPath(issue.path, options.secretPaths));
    } else out.push(`${o ? describeIssueOrigin(o) : 'confstack'}: ${text}`);
  }
  if (shown < issues.length) out.push(`… and ${issues.length - shown} more issues (all of them in err.issues)`);
  if (options.causes !== false) {
    // The cause summary of formatConfigError (codes and names only, never foreign messages).
    for (const line of formatConfigError(err).split('\n')) if (line.startsWith('  caused by:')) out.push(line);
  }
  return out.join('\n');
}

/** isSecretPath for a key as written in a location (`a.b[0].c` or canonical `a.b.0.c`). */
function isSecretKeyPath(key: string, secretPaths?: ReadonlySet<string>): boolean {
  try {
    return isSecretPath(key.replace(/\[(\d+)\]/g, '.$1'), secretPaths);
  } catch {
    return false;
  }
}

const INSPECT_MAX_ISSUES = 20;
const MAX_CAUSES = 8;

/** Defines a read-only, non-enumerable field. */
function hide(err: ConfigError, key: 'detail' | 'issues', value: unknown): void {
  Object.defineProperty(err, key, { value, enumerable: false, writable: false, configurable: true });
}

/** Sets Error.stackTraceLimit unless the environment froze it (a hardened realm); false then. */
function trySetStackTraceLimit(n: number): boolean {
  try {
    Error.stackTraceLimit = n;
    return Error.stackTraceLimit === n;
  } catch {
    return false;
  }
}

/** The V8 stack of each ConfigError's construction site, captured separately from `stack`. */
const traces = new WeakMap<ConfigError, { stack?: string }>();

/**
 * Makes `err.stack` the header line, one located line per issue (at most 20) and the frames,
 * rendered on first read. Node prints an uncaught error from `stack` and its enumerable fields
 * and ignores util.inspect.custom there, so this is how such an error lists its issues. No source
 * excerpts: `stack` is what loggers serialise (pino's `err`), and a source line can hold a secret
 * under a key whose name does not say so. The frames come from this one capture at the
 * construction site (Error's own capture is switched off), so they stay lazy.
 */
function installReportStack(err: ConfigError): void {
  const trace: { stack?: string } = {};
  Error.captureStackTrace(trace, err.constructor);
  traces.set(err, trace);
  let rendered: string | undefined;
  Object.defineProperty(err, 'stack', {
    enumerable: false,
    configurable: true,
    get: () => (rendered ??= renderStack(err)),
    set: (value: unknown) => Object.defineProperty(err, 'stack', { value, writable: true, enumerable: false, configurable: true }),
  });
}

function renderStack(err: ConfigError): string {
  let body: string[];
  try {
    // The report's first line restates the message, which the header already holds.
    body = formatErrorReport(err, { maxIssues: INSPECT_MAX_ISSUES, causes: false, excerpts: false }).split('\n').slice(1);
  } catch {
    body = []; // reading `stack` must never throw, whatever a custom origin holds
  }
  return [`${err.name}: ${err.message}`, ...body, ...stackFrames(err)].join('\n');
}

/**
 * ConfigError's inspect form: the report, its own stack frames, then for each cause its name
 * (a ConfigError's message; a foreign error's name and errno code, never its message, which may
 * echo source text) and frames, so an error thrown in user code (a schema refinement) still
 * shows where.
 */
function inspectConfigError(err: ConfigError): string {
  const out = [formatErrorReport(err, { maxIssues: INSPECT_MAX_ISSUES, causes: false }), ...stackFrames(err)];
  const queue: unknown[] = err.cause === undefined ? [] : [err.cause];
  const seen = new Set<unknown>([err]);
  for (let n = 0; queue.length > 0 && n < MAX_CAUSES; n++) {
    const cause = queue.shift();
    if (seen.has(cause)) continue;
    seen.add(cause);
    if (isBranded(cause)) out.push(`  [cause] ${cause.message}`);
    else if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      out.push(`  [cause] ${cause.name}${typeof code === 'string' ? ` ${code}` : ''}`);
    } else {
      out.push(`  [cause] ${nonErrorLabel(cause)}`);
      continue;
    }
    out.push(...stackFrames(cause));
    if (cause instanceof AggregateError) queue.push(...cause.errors);
    if (cause.cause !== undefined) queue.push(cause.cause);
  }
  return out.join('\n');
}

/**
 * The `    at …` lines of an error's stack: a ConfigError's from its construction site; another
 * error's from `stack`, past the header, which repeats the message (a foreign message may span
 * lines and hold secrets).
 */
function stackFrames(err: Error): string[] {
  let stack = isBranded(err) ? (traces.get(err)?.stack ?? '') : typeof err.stack === 'string' ? err.stack : '';
  const header = `${String(err.name)}: ${String(err.message)}`;
  if (stack.startsWith(header)) stack = stack.slice(header.length);
  return stack.split('\n').filter((line) => STACK_FRAME.test(line));
}

/** A V8 stack frame: `at fn (file:1:2)`, `at async file:1:2`, `at fn (native)`, `at async Promise.all (index 0)`. */
const STACK_FRAME = /^ {4}at \S.*(?::\d+:\d+\)?|\((?:native|<anonymous>|index \d+)\)|<anonymous>)$/;
