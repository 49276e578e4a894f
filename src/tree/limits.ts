/**
 * Resource limits, with documented defaults. Crossing one raises `limit_exceeded`.
 */

export interface Limits {
  /** Deepest nesting of objects/lists in one source. Default 256. */
  readonly maxDepth: number;
  /** Largest file or document, in bytes, checked before parsing. Default 16 MiB. */
  readonly maxDocumentBytes: number;
  /** Largest single string value, in bytes. Default 1 MiB. */
  readonly maxScalarBytes: number;
  /** Most nodes (objects, lists and leaves) in one tree after alias expansion. Default 1,000,000. */
  readonly maxNodes: number;
  /** Most YAML alias dereferences in one document. Default 10,000. */
  readonly maxAliases: number;
  /** Deepest chain of `${VAR}` references resolved inside interpolation defaults. Default 32. */
  readonly maxInterpolationDepth: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxDepth: 256,
  maxDocumentBytes: 16 * 1024 * 1024,
  maxScalarBytes: 1024 * 1024,
  maxNodes: 1_000_000,
  maxAliases: 10_000,
  maxInterpolationDepth: 32,
});

/** DEFAULT_LIMITS with some fields overridden. */
export function resolveLimits(partial?: Partial<Limits>): Limits {
  return partial ? Object.freeze({ ...DEFAULT_LIMITS, ...partial }) : DEFAULT_LIMITS;
}
