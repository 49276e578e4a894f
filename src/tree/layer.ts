/**
 * The Layer: one source's values with their provenance, what a provider's `load` returns and what
 * the merge consumes. Declared here, beside the merge, so tree/ needs nothing above it;
 * providers/provider.ts re-exports it as part of the Provider contract.
 */
import type { ConfigError, Origin } from '../foundation/errors.js';
import type { PositionIndex } from './origins.js';

/** What a provider returns from `load`. */
export interface Layer {
  values: Record<string, unknown>;
  /** Origins keyed by canonical key path (leaves and containers). Takes precedence over `origin`. */
  origins?: Record<string, Origin>;
  /** Default origin for any path without an entry in `origins` (a whole file, say). */
  origin?: Origin;
  /** Positions for paths that use the default `origin` (resolved lazily by formats). */
  positions?: PositionIndex;
  /** True when string values may hold `${VAR}` references to expand (files, etcd). */
  interpolate?: boolean;
  /** For composites: the status of each child source. */
  sources?: SourceStatus[];
  /**
   * A performance hint: `values` is fresh, checked plain data that nobody else holds. The merge
   * adopts subtrees instead of copying them only for trees confstack's own parsers built (the file
   * provider with a built-in format); for any other layer the flag is ignored and the values are
   * copied, so setting it on data you keep can never get that data mutated or frozen.
   */
  owned?: boolean;
}

/** One entry of `Config.sources()`. */
export interface SourceStatus {
  name: string;
  type: string;
  status: 'loaded' | 'empty' | 'skipped';
  error?: ConfigError;
}
