/**
 * The parser contract: text -> values + positions. Formats know nothing of files, env or etcd.
 */
import type { Limits } from '../tree/limits.js';
import type { PositionIndex } from '../tree/origins.js';

export type FormatName = 'yaml' | 'json' | 'toml' | 'env';

/** A parser. Users may pass their own to `fileProvider({ format })`. */
export interface Format {
  readonly name: string;
  /** Extensions with the dot, lower-case: ['.yaml', '.yml']. */
  readonly extensions: readonly string[];
  /**
   * Pure and synchronous. Throws ConfigError only (parse_failed, duplicate_key, limit_exceeded,
   * forbidden_key), with `location.file` = ctx.source and line/column where known. Never echoes
   * source text (it may hold secrets) in the message or cause.
   */
  parse(text: string, ctx: ParseContext): Parsed;
}

export interface ParseContext {
  /** File path or etcd key: goes into error locations. */
  readonly source: string;
  readonly limits: Limits;
  /** Provider instance name for errors. */
  readonly provider?: string;
}

export interface Parsed {
  /** The document as a plain-object tree (root is always an object). */
  readonly values: Record<string, unknown>;
  /** Canonical key path -> 1-based position; may resolve lazily on first get(). */
  readonly positions: PositionIndex;
}
