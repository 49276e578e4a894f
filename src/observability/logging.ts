/**
 * Logger type (pino-compatible), the silent default, trace-id enrichment, and logEvent: the one way
 * confstack code writes a log record.
 *
 * logEvent accepts only a fixed set of fields (paths, source names, codes, counts, durations), so a
 * config value has no field to travel in (RELIABILITY.md S7). Errors are reduced to their code and
 * ConfigError message (built from fields, never values); a foreign error to its class name. Every
 * string is passed through redactUrlCredentials (secrets.ts), the one redactor.
 * A logger that throws is swallowed: logging never breaks loading.
 */
import { asConfigError, describeLocation } from '../foundation/errors.js';
import { otel, otelRegistered } from './otel.js';
import { redactUrlCredentials } from '../foundation/secrets.js';

/** Any object with pino-style methods: `logger.info({ key: 'x' }, 'message')`. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const SILENT: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** A logger that drops everything (the default). */
export function silentLogger(): Logger {
  return SILENT;
}

/** `trace_id` and `span_id` of the active span, or an empty object when there is none. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  // No context manager registered: no span can be active (and the API need not load).
  if (!otelRegistered()) return {};
  try {
    const { context, isSpanContextValid, trace } = otel();
    const sc = trace.getSpan(context.active())?.spanContext();
    if (sc === undefined || !isSpanContextValid(sc)) return {};
    return { trace_id: sc.traceId, span_id: sc.spanId };
  } catch {
    return {};
  }
}

/**
 * Wraps `logger` so each record carries `trace_id` and `span_id` of the span active when it is
 * written (none outside a span), and so a throwing logger is swallowed.
 */
export function withTraceContext(logger: Logger): Logger {
  if (logger === SILENT) return SILENT;
  const wrap =
    (level: LogLevel) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      try {
        const record = { ...obj, ...traceFields() };
        if (msg === undefined) logger[level](record);
        else logger[level](record, msg);
      } catch {
        // Logging never breaks the operation it describes.
      }
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/**
 * The fields a confstack log record may carry. There is deliberately no field for a value:
 * paths and key names, source and provider names, formats, codes, counts and durations only.
 */
export interface LogFields {
  /** A key path (`server.port`); the path, never what is at it. */
  path?: string;
  paths?: readonly string[];
  /** A source / provider instance name (`file:config/app.yaml`, `env CONFSTACK_X`). */
  source?: string;
  sources?: readonly string[];
  provider?: string;
  /** Provider type (`file`, `env`, `etcd`). */
  type?: string;
  format?: string;
  file?: string;
  line?: number;
  column?: number;
  /** A ConfigError code. */
  code?: string;
  operation?: string;
  outcome?: string;
  status?: string;
  count?: number;
  issue_count?: number;
  source_count?: number;
  changed_keys?: readonly string[];
  duration_ms?: number;
  /** Reduced to `{ code, message }` (ConfigError) or `{ name }` (anything else). */
  error?: unknown;
}

type FieldKind = 'string' | 'strings' | 'number';

const FIELD_KINDS: Readonly<Record<Exclude<keyof LogFields, 'error'>, FieldKind>> = {
  path: 'string',
  paths: 'strings',
  source: 'string',
  sources: 'strings',
  provider: 'string',
  type: 'string',
  format: 'string',
  file: 'string',
  line: 'number',
  column: 'number',
  code: 'string',
  operation: 'string',
  outcome: 'string',
  status: 'string',
  count: 'number',
  issue_count: 'number',
  source_count: 'number',
  changed_keys: 'strings',
  duration_ms: 'number',
};

const MAX_STRINGS = 100;

/** What a log record says about an error: a ConfigError's code and message, else the class name. */
export function describeErrorForLog(err: unknown): Record<string, unknown> {
  try {
    const cfg = asConfigError(err);
    if (cfg !== undefined) {
      const out: Record<string, unknown> = { code: cfg.code, message: cfg.message };
      if (cfg.provider !== undefined) out.provider = cfg.provider;
      const where = describeLocation(cfg.location);
      if (where !== undefined) out.location = where;
      if (cfg.issues !== undefined) out.issue_count = cfg.issues.length;
      return out;
    }
    const name = err instanceof Error ? err.name : typeof err;
    return { name: typeof name === 'string' && /^[A-Za-z_$][\w$.]{0,63}$/.test(name) ? name : 'Error' };
  } catch {
    return { name: 'Error' };
  }
}

/**
 * Writes one record through `logger` with the active `trace_id`/`span_id`. Fields outside
 * {@link LogFields}, and fields of the wrong kind (an object where a string belongs), are dropped,
 * so a value cannot ride along by mistake. Never throws.
 * @example
 * logEvent(logger, 'debug', 'provider loaded', { provider: p.name, format: 'yaml', duration_ms: 3 });
 */
export function logEvent(logger: Logger | undefined, level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (logger === undefined || logger === SILENT) return;
  try {
    const record: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      if (key === 'error') {
        record.error = describeErrorForLog(v);
        continue;
      }
      const kind = (FIELD_KINDS as Readonly<Record<string, FieldKind>>)[key];
      // A source name or path may be a URL with a password (`etcd:http://u:p@h`): masked.
      if (kind === 'string' && typeof v === 'string') record[key] = redactUrlCredentials(v);
      else if (kind === 'number' && typeof v === 'number') record[key] = v;
      else if (kind === 'strings' && Array.isArray(v)) {
        record[key] = v.filter((s): s is string => typeof s === 'string').slice(0, MAX_STRINGS).map(redactUrlCredentials);
      }
    }
    Object.assign(record, traceFields());
    const write = LEVELS.includes(level) ? logger[level] : logger.debug;
    write.call(logger, record, msg);
  } catch {
    // Logging never breaks the operation it describes.
  }
}
