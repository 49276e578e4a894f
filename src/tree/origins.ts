/**
 * Origins: where a value came from. Rendered in one place (describeOrigin) for explain, errors,
 * CLI output and logs. The Origin type itself lives in errors.ts (ConfigIssue names it, and
 * errors.ts sits below tree/); it is re-exported here beside its functions.
 */
import type { ErrorLocation, Origin } from '../foundation/errors.js';

export type { Origin };

/** A 1-based position in a source text. */
export interface Position {
  line: number;
  column: number;
}

/** Key path (canonical) -> position, possibly computed lazily on first `get`. */
export interface PositionIndex {
  get(path: string): Position | undefined;
}

/** `config/app.yaml:12:5`, `env CONFSTACK_SERVER__PORT`, `etcd /app/server/port@1042`, or the provider name. */
export function describeOrigin(origin: Origin): string {
  if (origin.location === undefined) return origin.provider;
  if (origin.type === 'env') return `env ${origin.location}`;
  if (origin.line !== undefined) {
    return `${origin.location}:${origin.line}${origin.column !== undefined ? `:${origin.column}` : ''}`;
  }
  if (origin.type === 'file' || origin.type === 'yaml' || origin.type === 'json' || origin.type === 'toml') return origin.location;
  return `${origin.type} ${origin.location}`;
}

/** The ErrorLocation form of an origin: file:line:col for files, `source` for env/etcd/others. */
export function originToLocation(origin: Origin, key?: string): ErrorLocation {
  const withKey = key !== undefined ? { key } : {};
  if (origin.location !== undefined && (origin.line !== undefined || FILE_TYPES.has(origin.type))) {
    return {
      file: origin.location,
      ...(origin.line !== undefined ? { line: origin.line } : {}),
      ...(origin.column !== undefined ? { column: origin.column } : {}),
      ...withKey,
    };
  }
  return { source: describeOrigin(origin), ...withKey };
}

const FILE_TYPES: ReadonlySet<string> = new Set(['file', 'yaml', 'json', 'toml', 'dotenv']);
