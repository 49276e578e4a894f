/**
 * Every layer's own value at a key (for `Config.explainAll`). A load keeps references to the
 * layers it merged (no copies: the merge writes copy-on-write over adopted subtrees, so each
 * layer's values stay as its provider returned them); this module reads them lazily, on demand.
 * Pure; imports only tree/ modules (and the Layer type).
 */
import type { Layer } from './layer.js';
import { LAYER_ORIGIN_REFS, lookupOrigin, parentPath, type OriginRef } from './merge.js';
import type { Origin } from './origins.js';
import { joinPath } from './path.js';
import { isPlainObject } from './kinds.js';

/** One merged layer and the source that produced it. */
export interface SourceLayer {
  readonly name: string;
  readonly type: string;
  readonly layer: Layer;
}

/** How a layer's value took part in the result at a key. */
export type LayerRole = 'winner' | 'overridden' | 'merged';

/** One layer's value at a key, unredacted (the caller redacts). */
export interface LayerValue {
  readonly source: string;
  readonly type: string;
  readonly value: unknown;
  readonly origin: Origin;
  readonly role: LayerRole;
}

/** A layer built from several sources (composite, file + profile overlay) lists them here. */
const LAYER_PARTS = Symbol.for('confstack.layerParts');
type LayerWithParts = Layer & { [LAYER_PARTS]?: readonly SourceLayer[]; [LAYER_ORIGIN_REFS]?: ReadonlyMap<string, OriginRef> };

/** Attaches the layers (highest priority first) that a combined layer was merged from. */
export function withLayerParts<L extends Layer>(layer: L, parts: readonly SourceLayer[]): L {
  Object.defineProperty(layer, LAYER_PARTS, { value: parts, enumerable: false });
  return layer;
}

/** The layers in priority order (highest first), combined layers expanded into their parts. */
export function expandLayers(layers: readonly SourceLayer[]): SourceLayer[] {
  const out: SourceLayer[] = [];
  for (const l of layers) {
    const parts = (l.layer as LayerWithParts)[LAYER_PARTS];
    if (parts && parts.length > 0) out.push(...expandLayers(parts));
    else out.push(l);
  }
  return out;
}


function isNamedList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((i) => isPlainObject(i) && typeof i.name === 'string');
}

/**
 * The value a layer holds at `segments`, and its source path. `merged` is the merged tree: an
 * index into a name-keyed list is translated to the item of the same `name` in the layer (the
 * merge matched items by name, so the index can differ).
 */
function valueIn(values: unknown, merged: unknown, segments: readonly string[]): { value: unknown; srcPath: string } | undefined {
  let node = values;
  let ref = merged;
  let srcPath = '';
  for (const seg of segments) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(seg)) return undefined;
      let i = Number(seg);
      const item = Array.isArray(ref) ? (ref[i] as unknown) : undefined;
      if (isNamedList(node) && isNamedList(ref) && isPlainObject(item)) {
        i = node.findIndex((n) => n.name === item.name);
        if (i < 0) return undefined;
      }
      if (i >= node.length) return undefined;
      node = node[i];
      ref = item;
      srcPath = joinPath(srcPath, i);
    } else if (isPlainObject(node)) {
      if (!Object.hasOwn(node, seg) || node[seg] === undefined) return undefined;
      node = node[seg];
      ref = isPlainObject(ref) && Object.hasOwn(ref, seg) ? ref[seg] : undefined;
      srcPath = joinPath(srcPath, seg);
    } else return undefined;
  }
  return { value: node, srcPath };
}

/** Where a layer's value at a source path came from, in the layer's own terms. */
function originIn(l: SourceLayer, srcPath: string): Origin {
  const layer = l.layer as LayerWithParts;
  const refs = layer[LAYER_ORIGIN_REFS];
  if (refs) {
    const o = lookupOrigin(refs, srcPath);
    if (o) return o;
  }
  if (layer.origins) {
    for (let p = srcPath; ; p = parentPath(p)) {
      if (Object.hasOwn(layer.origins, p)) return layer.origins[p]!;
      if (p === '') break;
    }
  }
  const base = layer.origin ?? { provider: l.name, type: l.type };
  const pos = layer.positions?.get(srcPath);
  return pos ? { ...base, line: pos.line, column: pos.column } : base;
}

type Kind = 'object' | 'named' | 'other';
const kindOf = (v: unknown): Kind => (isPlainObject(v) ? 'object' : isNamedList(v) ? 'named' : 'other');

/** Whether a layer of another type than `except` holds a value at `segments` (list items matched by name, as the merge did). */
export function heldByOther(layers: readonly SourceLayer[], merged: unknown, segments: readonly string[], except: string): boolean {
  return expandLayers(layers).some((l) => l.type !== except && valueIn(l.layer.values, merged, segments) !== undefined);
}

/**
 * Every layer with a value at `segments`, highest priority first, with its role: the values that
 * deep-merged into the result (objects, name-keyed lists) are `merged`; a value that replaced
 * everything below it is the `winner`; what it replaced is `overridden`.
 */
export function layerValues(layers: readonly SourceLayer[], merged: unknown, segments: readonly string[]): LayerValue[] {
  const found: { l: SourceLayer; value: unknown; srcPath: string }[] = [];
  for (const l of expandLayers(layers)) {
    const hit = valueIn(l.layer.values, merged, segments);
    if (hit) found.push({ l, ...hit });
  }
  // Walking down from the top: values of one mergeable kind merge; the first other value ends it.
  const top = found.length > 0 ? kindOf(found[0]!.value) : 'other';
  let chain = 1;
  if (top !== 'other') while (chain < found.length && kindOf(found[chain]!.value) === top) chain++;
  return found.map(({ l, value, srcPath }, i) => ({
    source: l.name,
    type: l.type,
    value: plainCopy(value, new Set()),
    origin: originIn(l, srcPath),
    role: i >= chain ? 'overridden' : chain > 1 ? 'merged' : 'winner',
  }));
}

/**
 * A JSON-safe copy of a layer's value as the merge would have stored it: a layer holds what its
 * provider returned (a memory layer may hold a Date or a bigint, which the merge normalised).
 */
function plainCopy(v: unknown, ancestors: Set<object>): unknown {
  switch (typeof v) {
    case 'bigint':
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'function':
    case 'symbol':
    case 'undefined':
      return null;
    case 'object': {
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (ancestors.has(v)) return null;
      ancestors.add(v);
      let out: unknown;
      if (Array.isArray(v)) out = v.map((item) => plainCopy(item, ancestors));
      else {
        const o: Record<string, unknown> = {};
        for (const [k, child] of Object.entries(v)) o[k] = plainCopy(child, ancestors);
        out = o;
      }
      ancestors.delete(v);
      return out;
    }
    default:
      return v;
  }
}
