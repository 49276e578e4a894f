/**
 * Layer merging with provenance. Layers apply lowest priority first; objects deep-merge; a list
 * whose items are all objects with a string `name` merges by name (same name deep-merges, new
 * names append); any other list, and any scalar, replaces what was below it.
 *
 * Inputs are never mutated: a subtree that lands where nothing was is copied — or adopted as is
 * when the layer is `owned` (fresh parser output), which keeps a warm load close to the parser's
 * own speed. The copying walk enforces the limits (depth, node budget, scalar size), rejects
 * forbidden keys, breaks cycles and normalises exotic programmatic values; `${VAR}` is expanded
 * in layers that ask for it.
 *
 * Provenance is recorded sparsely: an entry at the root of every subtree a layer placed (it
 * covers everything below), plus one per explicitly-originated value (env vars). Lookups walk up
 * to the nearest entry (`lookupOrigin`). Entries sit at DESTINATION paths, with the source path
 * kept where they differ (an item merged by name can land at another index).
 */
import { isLeafObject } from './datetime.js';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { interpolate, needsInterpolation } from './interpolate.js';
import type { Layer } from './layer.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { originToLocation, type Origin, type PositionIndex } from './origins.js';
import { formatPath, isForbiddenSegment, joinPath } from './path.js';
import { isPlainObject } from './kinds.js';

/** Where a merged subtree came from: an origin, plus positions resolved lazily by source path. */
export interface OriginRef {
  readonly origin: Origin;
  readonly positions?: PositionIndex;
  /** The path in the source layer when it differs from the destination path. */
  readonly srcPath?: string;
}

/** A Layer may carry prebuilt origin refs (composites, profile overlays) under this symbol. */
export const LAYER_ORIGIN_REFS = Symbol.for('confstack.layerOriginRefs');
type LayerWithRefs = Layer & { [LAYER_ORIGIN_REFS]?: ReadonlyMap<string, OriginRef> };

/**
 * Trees confstack's own parsers built, fresh for one load: the only ones the merge adopts (and so
 * freezes) instead of copying. A `Layer.owned` flag alone is not trusted: a provider that set it on
 * data it keeps would have that data mutated by the merge and frozen under it (its next load would
 * fail), so a public flag could break a provider.
 */
const MINTED = new WeakSet<object>();

/** Marks `values` as a fresh tree built by one of confstack's parsers for this load (internal). */
export function markOwned<T extends object>(values: T): T {
  MINTED.add(values);
  return values;
}

/** The running result of a merge. `values` is owned by the merge and may be mutated by it only. */
export interface MergeState {
  values: Record<string, unknown>;
  /** Sparse: see lookupOrigin. */
  origins: Map<string, OriginRef>;
  nodes: number;
  /**
   * Containers `values` shares with an owned layer (adopted subtrees, and the children of copies
   * made from them): merged into copy-on-write, so every layer's own values stay as it returned
   * them and `Config.explainAll` can read each one. Created by the first adoption.
   */
  shared?: WeakSet<object>;
}

export interface MergeOptions {
  limits?: Limits;
  /** Environment for `${VAR}` expansion. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Name used as the fallback origin when a layer has none. */
  provider?: string;
}

export function createMergeState(): MergeState {
  return { values: {}, origins: new Map(), nodes: 0 };
}

/** The parent of a canonical path ('' for a top-level key). */
export function parentPath(path: string): string {
  const cut = path.endsWith('"]') ? path.lastIndexOf('["') : path.lastIndexOf('.');
  return cut < 0 ? '' : path.slice(0, cut);
}

/** The nearest entry at or above `path`, with the source path `path` maps to. */
function lookupRef(origins: ReadonlyMap<string, OriginRef>, path: string): { ref: OriginRef; srcPath: string } | undefined {
  let p = path;
  while (p !== '') {
    const ref = origins.get(p);
    if (ref) return { ref, srcPath: (ref.srcPath ?? p) + path.slice(p.length) };
    p = parentPath(p);
  }
  return undefined;
}

/** Resolves an origin ref to a full Origin (line/column looked up lazily by source path). */
export function materializeOrigin(ref: OriginRef, srcPath: string): Origin {
  if (!ref.positions) return ref.origin;
  const pos = ref.positions.get(srcPath);
  return pos ? { ...ref.origin, line: pos.line, column: pos.column } : ref.origin;
}

/** The origin of the value at a canonical path, from a sparse origin table. */
export function lookupOrigin(origins: ReadonlyMap<string, OriginRef>, path: string): Origin | undefined {
  const hit = lookupRef(origins, path);
  return hit ? materializeOrigin(hit.ref, hit.srcPath) : undefined;
}

/**
 * The source type (`file`, `env`, …) of the value at a canonical path. Unlike lookupOrigin it never
 * resolves a line/column, which can mean re-parsing a file with positions: use it on hot paths.
 */
export function lookupOriginType(origins: ReadonlyMap<string, OriginRef>, path: string): string | undefined {
  return lookupRef(origins, path)?.ref.origin.type;
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
  new LayerMerge(state, layer as LayerWithRefs, opts).mergeObject(state.values, layer.values, '', '', 0);
}


function isNamedList(list: readonly unknown[]): boolean {
  if (list.length === 0) return false;
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== 'string') return false;
  }
  return true;
}

/** `base` + a relative canonical path (which may start with a bracket segment). */
function concatPath(base: string, rel: string): string {
  if (rel === '') return base;
  if (base === '' || rel.startsWith('[')) return base + rel;
  return `${base}.${rel}`;
}

class LayerMerge {
  private readonly limits: Limits;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly defaultRef: OriginRef;
  private readonly prebuilt: ReadonlyMap<string, OriginRef> | undefined;
  private readonly explicit: Record<string, Origin> | undefined;
  /** Adopt subtrees instead of copying (fresh, checked parser output without per-value origins). */
  private readonly adopt: boolean;
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
    this.adopt = layer.owned === true && this.explicit === undefined && MINTED.has(layer.values);
  }

  /** The origin entry describing source path `sp` when it lands at `dp`. */
  private refFor(sp: string, dp: string): OriginRef {
    if (this.prebuilt) {
      const hit = lookupRef(this.prebuilt, sp);
      if (hit) return hit.srcPath === dp && hit.ref.srcPath === undefined ? hit.ref : { ...hit.ref, srcPath: hit.srcPath };
    }
    if (this.explicit && Object.hasOwn(this.explicit, sp)) return { origin: this.explicit[sp]! };
    if (sp !== dp && this.defaultRef.positions) return { ...this.defaultRef, srcPath: sp };
    return this.defaultRef;
  }

  private fail(code: ErrorCode, message: string, sp: string, dp: string, context?: Record<string, unknown>): ConfigError {
    const ref = this.refFor(sp, dp);
    const origin = materializeOrigin(ref, ref.srcPath ?? sp);
    return new ConfigError({
      op: 'merge',
      code,
      message,
      provider: origin.provider,
      location: originToLocation(origin, dp || undefined),
      ...(context ? { context } : {}),
    });
  }

  private count(sp: string, dp: string, depth: number): void {
    if (++this.state.nodes > this.limits.maxNodes) {
      throw this.fail(ErrorCode.LimitExceeded, `more than ${this.limits.maxNodes} values (node budget)`, sp, dp, { limit: 'maxNodes' });
    }
    if (depth > this.limits.maxDepth) {
      throw this.fail(ErrorCode.LimitExceeded, `nesting deeper than ${this.limits.maxDepth}`, sp, dp, { limit: 'maxDepth' });
    }
  }

  private enter(node: object, sp: string, dp: string): void {
    if (this.ancestors.has(node)) throw this.fail(ErrorCode.InvalidConfig, 'cyclic value', sp, dp);
    this.ancestors.add(node);
  }

  mergeObject(dest: Record<string, unknown>, src: Record<string, unknown>, sp: string, dp: string, depth: number, skipKey?: string): void {
    this.enter(src, sp, dp);
    for (const key of Object.keys(src)) {
      if (key === skipKey) continue;
      const csp = joinPath(sp, key);
      const cdp = joinPath(dp, key);
      if (isForbiddenSegment(key)) throw this.fail(ErrorCode.ForbiddenKey, `key "${key}" is not allowed`, csp, cdp);
      const v = src[key];
      if (v === undefined) continue;
      const existing = Object.hasOwn(dest, key) ? dest[key] : undefined;
      // Plain assignment is safe: forbidden keys were rejected just above.
      dest[key] = this.mergeNode(existing, v, csp, cdp, depth + 1);
    }
    this.ancestors.delete(src);
  }

  private mergeNode(existing: unknown, v: unknown, sp: string, dp: string, depth: number): unknown {
    if (existing !== undefined) {
      if (isPlainObject(v) && isPlainObject(existing)) {
        this.count(sp, dp, depth);
        const target = this.writable(existing);
        this.mergeObject(target, v, sp, dp, depth);
        return target;
      }
      if (Array.isArray(v) && Array.isArray(existing) && isNamedList(v) && isNamedList(existing)) {
        this.count(sp, dp, depth);
        const target = this.writable(existing);
        this.mergeNamedList(target, v, sp, dp, depth);
        return target;
      }
      this.prune(dp);
    }
    return this.place(v, sp, dp, depth);
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
        dest.push(this.place(item, isp, joinPath(dp, at), depth + 1));
        index.set(name, at);
      } else {
        // Same name: deep-merge, leaving `name` (equal by construction) and its origin alone.
        const jdp = joinPath(dp, j);
        this.count(isp, jdp, depth + 1);
        const target = (dest[j] = this.writable(dest[j] as Record<string, unknown>));
        this.mergeObject(target, item, isp, jdp, depth + 1, 'name');
      }
    }
    this.ancestors.delete(src);
  }

  /** `v` lands at `dp` where nothing was: record what covers it, then adopt or copy it. */
  private place(v: unknown, sp: string, dp: string, depth: number): unknown {
    this.recordCover(sp, dp);
    if (!this.adopt) return this.copy(v, sp, dp, depth);
    if (typeof v === 'string') return this.scalar(v, sp, dp);
    if (v !== null && typeof v === 'object') {
      if (this.layer.interpolate) this.interpolateInPlace(v, sp, dp, []);
      (this.state.shared ??= new WeakSet()).add(v);
    }
    return v;
  }

  /**
   * A container the merge may write into: `c` itself, or a shallow copy when `c` belongs to an
   * owned layer (whose children then count as shared in turn). Costs nothing without adoption,
   * and only along the paths where a higher layer overlaps an adopted one otherwise.
   */
  private writable<C extends object>(c: C): C {
    const shared = this.state.shared;
    if (shared === undefined || !shared.has(c)) return c;
    const copy = (Array.isArray(c) ? c.slice() : Object.assign(Object.create(Object.getPrototypeOf(c) as object | null) as object, c)) as C;
    for (const child of Object.values(copy)) if (child !== null && typeof child === 'object') shared.add(child);
    return copy;
  }

  private recordCover(sp: string, dp: string): void {
    const origins = this.state.origins;
    origins.set(dp, this.refFor(sp, dp));
    if (!this.prebuilt) return;
    // Carry the more specific prebuilt entries under sp (a composite's env overrides, say).
    const dot = `${sp}.`;
    const bracket = `${sp}[`;
    for (const [key, ref] of this.prebuilt) {
      if (key.startsWith(dot) || key.startsWith(bracket)) {
        origins.set(dp + key.slice(sp.length), ref.srcPath === undefined && sp !== dp ? { ...ref, srcPath: key } : ref);
      }
    }
  }

  /** A checked deep copy (layers whose values the merge must not keep). */
  private copy(v: unknown, sp: string, dp: string, depth: number): unknown {
    this.count(sp, dp, depth);
    if (isPlainObject(v)) {
      this.enter(v, sp, dp);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        const csp = joinPath(sp, key);
        const cdp = joinPath(dp, key);
        if (isForbiddenSegment(key)) throw this.fail(ErrorCode.ForbiddenKey, `key "${key}" is not allowed`, csp, cdp);
        const child = v[key];
        if (child === undefined) continue;
        if (this.explicit && Object.hasOwn(this.explicit, csp)) this.state.origins.set(cdp, { origin: this.explicit[csp]! });
        out[key] = this.copy(child, csp, cdp, depth + 1);
      }
      this.ancestors.delete(v);
      return out;
    }
    if (Array.isArray(v)) {
      this.enter(v, sp, dp);
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const csp = joinPath(sp, i);
        const cdp = joinPath(dp, i);
        if (this.explicit && Object.hasOwn(this.explicit, csp)) this.state.origins.set(cdp, { origin: this.explicit[csp]! });
        const item = v[i];
        out[i] = item === undefined ? null : this.copy(item, csp, cdp, depth + 1);
      }
      this.ancestors.delete(v);
      return out;
    }
    return this.scalar(v, sp, dp);
  }

  /** Expands `${VAR}` in every string of an adopted subtree; paths are built only on a hit. */
  private interpolateInPlace(node: object, sp: string, dp: string, stack: (string | number)[]): void {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'string') {
          if (needsInterpolation(item)) node[i] = this.expandAt(item, sp, dp, [...stack, i]);
        } else if (item !== null && typeof item === 'object') {
          stack.push(i);
          this.interpolateInPlace(item, sp, dp, stack);
          stack.pop();
        }
      }
      return;
    }
    const rec = node as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      const item = rec[key];
      if (typeof item === 'string') {
        if (needsInterpolation(item)) rec[key] = this.expandAt(item, sp, dp, [...stack, key]);
      } else if (item !== null && typeof item === 'object') {
        stack.push(key);
        this.interpolateInPlace(item, sp, dp, stack);
        stack.pop();
      }
    }
  }

  private expandAt(s: string, sp: string, dp: string, rel: (string | number)[]): string {
    const r = formatPath(rel);
    return this.scalar(s, concatPath(sp, r), concatPath(dp, r)) as string;
  }

  private scalar(v: unknown, sp: string, dp: string): unknown {
    switch (typeof v) {
      case 'string':
        if (v.length > this.limits.maxScalarBytes) {
          throw this.fail(ErrorCode.LimitExceeded, `string longer than ${this.limits.maxScalarBytes} bytes`, sp, dp, { limit: 'maxScalarBytes' });
        }
        if (this.layer.interpolate && needsInterpolation(v)) {
          const ref = this.refFor(sp, dp);
          return interpolate(v, {
            env: this.env,
            maxDepth: this.limits.maxInterpolationDepth,
            location: () => originToLocation(materializeOrigin(ref, ref.srcPath ?? sp), dp),
            provider: ref.origin.provider,
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
        if (isLeafObject(v)) return v; // immutable: kept as is
        if (v instanceof Date) {
          if (Number.isNaN(v.getTime())) throw this.fail(ErrorCode.InvalidConfig, 'invalid date', sp, dp);
          return v.toISOString();
        }
        throw this.fail(ErrorCode.InvalidConfig, `unsupported value type ${v.constructor?.name ?? 'object'}`, sp, dp);
      default:
        throw this.fail(ErrorCode.InvalidConfig, `unsupported value type ${typeof v}`, sp, dp);
    }
  }

  /** Drops the entries at and below a path whose subtree is being replaced. */
  private prune(dp: string): void {
    const origins = this.state.origins;
    origins.delete(dp);
    const dot = `${dp}.`;
    const bracket = `${dp}[`;
    for (const key of origins.keys()) {
      if (key.startsWith(dot) || key.startsWith(bracket)) origins.delete(key);
    }
  }
}
