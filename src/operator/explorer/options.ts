/**
 * The options of configExplorer and their checks. Small and dependency-light: the lazy entry
 * (what `import 'confstack'` loads) checks options here before the explorer itself is loaded.
 */
import type { Config } from '../../core/config.js';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import type { HealthMonitor } from '../../observability/health.js';
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';
import type { LiveConfig } from '../../core/watch.js';

/** What the explorer shows: a live config (reloads, history, events) or one snapshot. */
export type ExplorerSource<T = unknown> = LiveConfig<T> | Config<T>;

/** Options of {@link configExplorer}. Never mutated. */
export interface ConfigExplorerOptions {
  /**
   * Bearer token. When set, every `/api/*` route needs `Authorization: Bearer <token>` (compared
   * in constant time; 401 without it). At least 16 characters. Default: none (keep the server on
   * a loopback address then). A token in the query string is always refused (400).
   */
  token?: string;
  /** The path the explorer is served under when it sees full URLs (plain `http`), e.g. `/_config`. Default `''`. */
  basePath?: string;
  /** Health figures for `/api/health`, `/api/sources` and the `health` event. Default: none. */
  monitor?: HealthMonitor;
  /**
   * The schema behind `/api/reference` (served as its Standard JSON Schema, draft 2020-12): the one
   * the live config validates with. Default: none (the route says so). `confstack serve` passes
   * the CLI's (the framework preset unless a project file names another).
   */
  schema?: StandardSchemaV1 | false;
  /** A Markdown reference of the schema (what `confstack docs` prints), served with it by `/api/reference`. Default: none. */
  referenceMarkdown?: string;
  /** Origins allowed to call the API from another site (CORS). Default: none (no CORS headers). */
  cors?: string | readonly string[];
  /** Reloads kept in the history (applied and rejected). Default 100. */
  historyLimit?: number;
  /** Concurrent `/api/events` clients; more are refused with 503. Default 32. */
  maxSseClients?: number;
  /** Bound on one JSON response, in bytes; larger answers are 413 (ask for a subtree). Default 32 MiB. */
  maxResponseBytes?: number;
  /** How often a change of health is looked for while event clients are connected, in ms. Default 2000. */
  healthIntervalMs?: number;
}

/** The options with defaults applied. */
export interface ResolvedExplorerOptions {
  token: string | undefined;
  basePath: string;
  monitor: HealthMonitor | undefined;
  schema: StandardSchemaV1 | false | undefined;
  referenceMarkdown: string | undefined;
  cors: readonly string[];
  historyLimit: number;
  maxSseClients: number;
  maxResponseBytes: number;
  healthIntervalMs: number;
}

function bad(key: string, message: string): ConfigError {
  return new ConfigError({ op: 'explorer', code: ErrorCode.InvalidParameters, message, location: { key } });
}

function count(key: string, v: number | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw bad(key, `${key} must be an integer from ${min} to ${max}`);
  return v;
}

/**
 * Checks and completes the options.
 * @throws ConfigError invalid_parameters (the option's name in `location.key`; never its value)
 */
export function resolveExplorerOptions(options: ConfigExplorerOptions = {}): ResolvedExplorerOptions {
  const { token } = options;
  if (token !== undefined && (typeof token !== 'string' || token.length < 16 || token.length > 1024 || !/^[\x21-\x7e]+$/.test(token))) {
    throw bad('token', 'token must be 16 to 1024 printable characters without spaces');
  }
  let basePath = options.basePath ?? '';
  if (typeof basePath !== 'string' || (basePath !== '' && !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(basePath)) || /(^|\/)\.\.?(\/|$)/.test(basePath)) {
    throw bad('basePath', 'basePath must be empty or a path like /_config (letters, digits, . _ ~ -)');
  }
  if (basePath.endsWith('/')) basePath = basePath.slice(0, -1);
  const cors = options.cors === undefined ? [] : typeof options.cors === 'string' ? [options.cors] : [...options.cors];
  for (const origin of cors) {
    if (typeof origin !== 'string' || !/^https?:\/\/[^\s/]+$/.test(origin)) throw bad('cors', 'cors origins must look like https://host[:port]');
  }
  return {
    token,
    basePath,
    monitor: options.monitor,
    schema: options.schema,
    referenceMarkdown: typeof options.referenceMarkdown === 'string' ? options.referenceMarkdown : undefined,
    cors,
    historyLimit: count('historyLimit', options.historyLimit, 100, 1, 10_000),
    maxSseClients: count('maxSseClients', options.maxSseClients, 32, 1, 10_000),
    maxResponseBytes: count('maxResponseBytes', options.maxResponseBytes, 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    healthIntervalMs: count('healthIntervalMs', options.healthIntervalMs, 2000, 50, 3_600_000),
  };
}

/** True if `source` is a LiveConfig (it has `current()`), not a single snapshot. */
export function isLive<T>(source: ExplorerSource<T>): source is LiveConfig<T> {
  return typeof (source as { current?: unknown }).current === 'function';
}
