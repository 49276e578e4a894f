/**
 * Layer merging with provenance. Layers apply lowest priority first; objects deep-merge; a list
 * whose items are all objects with a string `name` merges by name (same name deep-merges, new
 * names append); any other list, and any scalar, replaces what was below it.
 *
 * The merge copies every value it takes (inputs are never mutated), and in the same walk it
 * enforces the limits (depth, node budget, scalar size), rejects forbidden keys, breaks cycles,
 * normalises exotic programmatic values, expands `${VAR}` in layers that ask for it, and records
 * the origin of every node at its DESTINATION path (a named item may land at another index).
 */
import { ConfigError, ErrorCode } from '../errors.js';
import type { Layer } from '../providers/provider.js';
import { interpolate, needsInterpolation } from './interpolate.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { originToLocation, type Origin, type PositionIndex } from './origins.js';
import { isForbiddenSegment, joinPath } from './path.js';

/** Where a merged value came from: an origin, plus positions resolved lazily by source path. */
export interface OriginRef {
  readonly origin: Origin;
  readonly positions?: PositionIndex;
  /** The path in the source layer when it differs from the destination path. */
  readonly srcPath?: string;
}

/** A Layer may carry prebuilt origin refs (composites, profile overlays) under this symbol. */
export const LAYER_ORIGIN_REFS = Symbol.for('confstack.layerOriginRefs');
type LayerWithRefs = Layer & { [LAYER_ORIGIN_REFS]?: ReadonlyMap<string, OriginRef> };

/** The running result of a merge. `values` is owned by the merge and may be mutated by it only. */
export interface MergeState {
  values: Record<string, unknown>;
  origins: Map<string, OriginRef>;
  nodes: number;
}

export interface MergeOptions {
  limits?: Limits;
  /** Environment for `${VAR}` expansion. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Name used in errors and as the fallback origin when a layer has none. */
  provider?: string;
}

export function createMergeState(): MergeState {
  return { values: {}, origins: new Map(), nodes: 0 };
}

/** Resolves an origin ref to a full Origin (line/column looked up lazily). */
export function materializeOrigin(ref: OriginRef, path: string): Origin {
  if (!ref.positions) return ref.origin;
  const pos = ref.positions.get(ref.srcPath ?? path);
  return pos ? { ...ref.origin, line: pos.line, column: pos.column } : ref.origin;
}

/** Attaches prebuilt origin refs to a layer (for composite-like providers). */
export function withOriginRefs<L extends Layer>(layer: L, refs: ReadonlyMap<string, OriginRef>): L {
  Object.defineProperty(layer, LAYER_ORIGIN_REFS, { value: refs, enumerable: false });
  return layer;
}

/**
 * Merges `layers` (highest priority FIRST, as everywhere in the API) into a fresh state.
 * @throws ConfigError forbidden_key, limit_exceeded, invalid_config, interpolation_failed
 */
export function mergeLayers(layers: readonly Layer[], opts: MergeOptions = {}): MergeState {
  const state = createMergeState();
  for (let i = layers.length - 1; i >= 0; i--) mergeLayerInto(state, layers[i]!, opts);
  return state;
}

/** Applies one layer over `state` (the layer wins). */
export function mergeLayerInto(state: MergeState, layer: Layer, opts: MergeOptions = {}): void {
  new LayerMerge(state, layer as LayerWithRefs, opts).run();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isNamedList(list: readonly unknown[]): boolean {
  if (list.length === 0) return false;
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== 'string') return false;
  }
  return true;
}

class LayerMerge {
  private readonly limits: Limits;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly defaultRef: OriginRef;
  private readonly prebuilt: ReadonlyMap<string, OriginRef> | undefined;
  private readonly explicit: Record<string, Origin> | undefined;
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly state: MergeState,
    private readonly layer: LayerWithRefs,
    opts: MergeOptions,
  ) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.env = opts.env ?? process.env;
    const origin = layer.origin ?? { provider: opts.provider ?? 'unknown', type: 'unknown' };
    this.defaultRef = layer.positions ? { origin, positions: layer.positions } : { origin };
    this.prebuilt = layer[LAYER_ORIGIN_REFS];
    this.explicit = layer.origins;
  }

  run(): void {
    this.mergeObject(this.state.values, this.layer.values, '', '', 0);
  }

  private refFor(srcPath: string, destPath: string): OriginRef {
    let ref: OriginRef | undefined;
    if (this.prebuilt) ref = this.prebuilt.get(srcPath);
    if (!ref && this.explicit && Object.hasOwn(this.explicit, srcPath)) ref = { origin: this.explicit[srcPath]! };
    if (!ref) ref = this.defaultRef;
    if (srcPath !== destPath && ref.positions && ref.srcPath === undefined) return { ...ref, srcPath };
    return ref;
  }

  private fail(code: ErrorCode, message: string, srcPath: string, destPath: string, context?: Record<string, unknown>): ConfigError {
    const origin = materializeOrigin(this.refFor(srcPath, destPath), srcPath);
    return new ConfigError({
      op: 'merge',
      code,
      message,
      provider: origin.provider,
      location: originToLocation(origin, destPath || undefined),
      ...(context ? { context } : {}),
    });
  }

  private count(srcPath: string, destPath: string, depth: number): void {
    if (++this.state.nodes > this.limits.maxNodes) {
      throw this.fail(ErrorCode.LimitExceeded, `more than ${this.limits.maxNodes} values (node budget)`, srcPath, destPath, { limit: 'maxNodes' });
    }
    if (depth > this.limits.maxDepth) {
      throw this.fail(ErrorCode.LimitExceeded, `nesting deeper than ${this.limits.maxDepth}`, srcPath, destPath, { limit: 'maxDepth' });
    }
  }

  private enter(node: object, srcPath: string, destPath: string): void {
    if (this.ancestors.has(node)) {
      throw this.fail(ErrorCode.InvalidConfig, 'cyclic value', srcPath, destPath);
    }
    this.ancestors.add(node);
  }

  private mergeObject(dest: Record<string, unknown>, src: Record<string, unknown>, srcPath: string, destPath: string, depth: number): void {
    this.enter(src, srcPath, destPath);
    for (const key of Object.keys(src)) {
      const sp = joinPath(srcPath, key);
      const dp = joinPath(destPath, key);
      if (isForbiddenSegment(key)) throw this.fail(ErrorCode.ForbiddenKey, `key "${key}" is not allowed`, sp, dp);
      const v = src[key];
      if (v === undefined) continue;
      const existing = Object.hasOwn(dest, key) ? dest[key] : undefined;
      // Plain assignment is safe: forbidden keys were rejected just above.
      dest[key] = this.mergeNode(existing, v, sp, dp, depth + 1);
    }
    this.ancestors.delete(src);
  }

  private mergeNode(existing: unknown, v: unknown, sp: string, dp: string, depth: number): unknown {
    this.count(sp, dp, depth);
    const ref = this.refFor(sp, dp);
    if (isPlainObject(v)) {
      let target: Record<string, unknown>;
      if (isPlainObject(existing)) target = existing;
      else {
        if (existing !== undefined) this.prune(dp);
        target = {};
      }
      this.state.origins.set(dp, ref);
      this.mergeObject(target, v, sp, dp, depth);
      return target;
    }
    if (Array.isArray(v)) {
      this.state.origins.set(dp, ref);
      if (Array.isArray(existing) && isNamedList(v) && isNamedList(existing)) {
        this.mergeNamedList(existing, v, sp, dp, depth);
        return existing;
      }
      if (existing !== undefined) this.prune(dp);
      this.enter(v, sp, dp);
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        out[i] = item === undefined ? null : this.mergeNode(undefined, item, joinPath(sp, i), joinPath(dp, i), depth + 1);
      }
      this.ancestors.delete(v);
      return out;
    }
    if (existing !== null && typeof existing === 'object') this.prune(dp);
    this.state.origins.set(dp, ref);
    return this.scalar(v, sp, dp);
  }

  private mergeNamedList(dest: unknown[], src: unknown[], sp: string, dp: string, depth: number): void {
    this.enter(src, sp, dp);
    const index = new Map<string, number>();
    dest.forEach((item, i) => index.set((item as { name: string }).name, i));
    for (let i = 0; i < src.length; i++) {
      const item = src[i] as Record<string, unknown>;
      const name = item.name as string;
      const j = index.get(name);
      const isp = joinPath(sp, i);
      if (j === undefined) {
        const at = dest.length;
        dest.push(this.mergeNode(undefined, item, isp, joinPath(dp, at), depth + 1));
        index.set(name, at);
      } else {
        dest[j] = this.mergeNode(dest[j], item, isp, joinPath(dp, j), depth + 1);
      }
    }
    this.ancestors.delete(src);
  }

  private scalar(v: unknown, sp: string, dp: string): unknown {
    switch (typeof v) {
      case 'string':
        if (v.length > this.limits.maxScalarBytes) {
          throw this.fail(ErrorCode.LimitExceeded, `string longer than ${this.limits.maxScalarBytes} bytes`, sp, dp, { limit: 'maxScalarBytes' });
        }
        if (this.layer.interpolate && needsInterpolation(v)) {
          const origin = materializeOrigin(this.refFor(sp, dp), sp);
          return interpolate(v, {
            env: this.env,
            maxDepth: this.limits.maxInterpolationDepth,
            location: originToLocation(origin, dp),
            provider: origin.provider,
          });
        }
        return v;
      case 'number':
      case 'boolean':
        return v;
      case 'bigint':
        if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
        throw this.fail(ErrorCode.InvalidConfig, 'integer outside the exact range of a number', sp, dp, { reason: 'precision' });
      case 'object':
        if (v === null) return null;
        if (v instanceof Date) {
          if (Number.isNaN(v.getTime())) throw this.fail(ErrorCode.InvalidConfig, 'invalid date', sp, dp);
          return v.toISOString();
        }
        throw this.fail(ErrorCode.InvalidConfig, `unsupported value type ${v.constructor?.name ?? 'object'}`, sp, dp);
      default:
        throw this.fail(ErrorCode.InvalidConfig, `unsupported value type ${typeof v}`, sp, dp);
    }
  }

  /** Drops the origins below a path whose subtree is being replaced. */
  private prune(dp: string): void {
    const dot = `${dp}.`;
    const bracket = `${dp}[`;
    for (const key of this.state.origins.keys()) {
      if (key.startsWith(dot) || key.startsWith(bracket)) this.state.origins.delete(key);
    }
  }
}
