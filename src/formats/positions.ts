/**
 * Position plumbing shared by the format parsers: a line table for offset -> line/column, and the
 * lazy PositionIndex that keeps the source text and builds its path -> position map on first use
 * (the fast parsers carry no positions; provenance is only needed by explain, errors, validation).
 */
import type { Position, PositionIndex } from '../tree/origins.js';

/**
 * Offsets of line starts in a text or its bytes, for O(log n) offset -> 1-based line/column
 * lookups. The one offset -> position conversion: parsers index text (columns count UTF-16
 * units), decode.ts indexes the raw bytes it could not decode (columns count bytes).
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string | Uint8Array) {
    if (typeof text === 'string') for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
    else for (let i = text.indexOf(0x0a); i !== -1; i = text.indexOf(0x0a, i + 1)) this.#starts.push(i + 1);
  }

  /** 1-based line/column of a 0-based offset (in UTF-16 units for text, in bytes for bytes). */
  position(offset: number): Position {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** 0-based offset of a 1-based line/column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.#starts[Math.min(Math.max(line, 1), this.#starts.length) - 1] ?? 0;
    return start + Math.max(column, 1) - 1;
  }
}

/** How a lazy index answers a path it did not record. */
export type PositionFallback = 'none' | 'nearest-ancestor';

/**
 * A PositionIndex built on the first `get` and cached. Positions are best effort: if the builder
 * throws (it re-reads text the fast parser already accepted), the index answers `undefined`.
 */
export class LazyPositions implements PositionIndex {
  #build: (() => ReadonlyMap<string, Position>) | undefined;
  #map: ReadonlyMap<string, Position> | undefined;
  readonly #fallback: PositionFallback;

  constructor(build: () => ReadonlyMap<string, Position>, fallback: PositionFallback = 'none') {
    this.#build = build;
    this.#fallback = fallback;
  }

  get(path: string): Position | undefined {
    let map = this.#map;
    if (map === undefined) {
      try {
        map = this.#build!();
      } catch {
        map = new Map();
      }
      this.#map = map;
      this.#build = undefined;
    }
    const hit = map.get(path);
    if (hit !== undefined || this.#fallback === 'none') return hit;
    for (let p = parentOf(path); p !== undefined; p = parentOf(p)) {
      const up = map.get(p);
      if (up !== undefined) return up;
    }
    return undefined;
  }
}

/** An index over an already-built map (formats cheap enough to record positions eagerly). */
export class MapPositions implements PositionIndex {
  constructor(private readonly map: ReadonlyMap<string, Position>) {}
  get(path: string): Position | undefined {
    return this.map.get(path);
  }
}

function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  if (path.endsWith('"]')) {
    const open = path.lastIndexOf('["');
    return open <= 0 ? '' : path.slice(0, open);
  }
  const dot = path.lastIndexOf('.');
  const bracket = path.lastIndexOf('"]');
  if (dot > bracket) return path.slice(0, dot);
  return bracket >= 0 ? path.slice(0, bracket + 2) : '';
}
