/**
 * The post-parse pass for parsers that build the tree themselves (YAML, TOML): enforces depth,
 * node, scalar-size and forbidden-key rules, converts parser-specific leaves (TOML dates, unsafe
 * YAML integers) and, when asked, copies into fresh plain objects. Also measures documents with
 * shared subtrees (YAML aliases) without expanding them, so an alias bomb is rejected in time
 * proportional to its source, not its expansion.
 */
import { ErrorCode } from '../foundation/errors.js';
import type { Limits } from '../tree/limits.js';
import type { PositionIndex } from '../tree/origins.js';
import { formatPath, isForbiddenSegment } from '../tree/path.js';
import { exceedsBytes, type ParseProblem } from './failure.js';

/** A rule broken at `path`; the format turns it into a ConfigError with that path's position. */
export class TreeViolation {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly path: string,
    readonly context?: Record<string, unknown>,
  ) {}

  /** This violation as a parse problem, located through the document's positions. */
  problem(positions: PositionIndex): ParseProblem {
    return {
      code: this.code,
      detail: this.detail,
      position: positions.get(this.path),
      key: this.path,
      ...(this.context !== undefined ? { context: this.context } : {}),
    };
  }
}

/** Converts a non-plain object leaf, or throws a TreeViolation (use `path()` for its location). */
export type LeafConverter = (value: object, path: () => string) => unknown;

export interface CheckOptions {
  readonly limits: Limits;
  /** Copy into fresh `{}`/`[]` (null-prototype tables, shared alias targets). */
  readonly copy: boolean;
  readonly leaf?: LeafConverter;
  /**
   * Called for every non-finite or zero number (where a literal may have left the range of a
   * double); throws a TreeViolation to refuse it.
   */
  readonly number?: (n: number, path: () => string) => void;
}

/** Checks (and optionally copies) a parsed tree whose root is a mapping. Throws TreeViolation. */
export function checkTree(root: Record<string, unknown>, options: CheckOptions): Record<string, unknown> {
  return new Walker(options).value(root, 0) as Record<string, unknown>;
}

class Walker {
  readonly #limits: Limits;
  readonly #copy: boolean;
  readonly #leaf: LeafConverter | undefined;
  readonly #number: ((n: number, path: () => string) => void) | undefined;
  readonly #segs: (string | number)[] = [];
  #nodes = 0;

  constructor(options: CheckOptions) {
    this.#limits = options.limits;
    this.#copy = options.copy;
    this.#leaf = options.leaf;
    this.#number = options.number;
  }

  value(v: unknown, depth: number): unknown {
    if (++this.#nodes > this.#limits.maxNodes) throw nodeBudget(this.#limits, this.#path());
    if (typeof v === 'string') {
      if (exceedsBytes(v, this.#limits.maxScalarBytes)) throw scalarBudget(this.#limits, this.#path());
      return v;
    }
    if (typeof v === 'number') {
      if (this.#number !== undefined && (v === 0 || !Number.isFinite(v))) this.#number(v, () => this.#path());
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      if (depth >= this.#limits.maxDepth) throw depthBudget(this.#limits, this.#path());
      const out: unknown[] = this.#copy ? new Array<unknown>(v.length) : v;
      for (let i = 0; i < v.length; i++) {
        this.#segs.push(i);
        const item: unknown = v[i];
        const r = this.value(item, depth + 1);
        this.#segs.pop();
        if (this.#copy || r !== item) out[i] = r;
      }
      return out;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      if (this.#leaf === undefined) throw new TreeViolation(ErrorCode.ParseFailed, 'unsupported value type', this.#path());
      return this.#leaf(v, () => this.#path());
    }
    if (depth >= this.#limits.maxDepth) throw depthBudget(this.#limits, this.#path());
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = this.#copy ? {} : src;
    // Object.keys, not for-in: smol-toml's null-prototype tables are slow to enumerate with for-in.
    const keys = Object.keys(src);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if ((k.length === 9 || k.length === 11) && isForbiddenSegment(k)) {
        this.#segs.push(k);
        throw new TreeViolation(ErrorCode.ForbiddenKey, `key "${k}" is not allowed`, this.#path());
      }
      if (exceedsBytes(k, this.#limits.maxScalarBytes)) throw scalarBudget(this.#limits, this.#path());
      this.#segs.push(k);
      const item = src[k];
      const r = this.value(item, depth + 1);
      this.#segs.pop();
      if (this.#copy || r !== item) out[k] = r;
    }
    return out;
  }

  #path(): string {
    return formatPath(this.#segs);
  }
}

const IN_PROGRESS = -1;

/**
 * Counts nodes and depth of a tree that may share subtrees, as if every shared subtree were
 * expanded, in time linear in the number of distinct objects. Throws TreeViolation for a cycle,
 * more than `maxNodes` expanded nodes, or expanded depth over `maxDepth`.
 */
export function measureShared(root: object, limits: Limits): void {
  const nodesOf = new Map<object, number>();
  const heightOf = new Map<object, number>();
  const segs: (string | number)[] = [];
  const path = (): string => formatPath(segs);
  // `depth` is the nesting level of `v` if it is a container (root = 1). Returns expanded nodes.
  const visit = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = nodesOf.get(v);
    if (known === IN_PROGRESS) {
      throw new TreeViolation(ErrorCode.ParseFailed, 'recursive alias', path(), { reason: 'recursive alias' });
    }
    if (known !== undefined) {
      // A shared subtree seen before: its height decides whether this use nests too deep.
      if (depth + heightOf.get(v)! - 1 > limits.maxDepth) throw depthBudget(limits, path());
      return known;
    }
    if (depth > limits.maxDepth) throw depthBudget(limits, path());
    nodesOf.set(v, IN_PROGRESS);
    let nodes = 1;
    let height = 0;
    const children: [string | number, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [i, x] as [number, unknown])
      : Object.entries(v);
    for (const [k, child] of children) {
      segs.push(k);
      nodes += visit(child, depth + 1);
      if (nodes > limits.maxNodes) throw nodeBudget(limits, path());
      const h = child !== null && typeof child === 'object' ? (heightOf.get(child) ?? 0) : 0;
      if (h > height) height = h;
      segs.pop();
    }
    nodesOf.set(v, nodes);
    heightOf.set(v, height + 1);
    return nodes;
  };
  visit(root, 1);
}

function nodeBudget(limits: Limits, path: string): TreeViolation {
  return new TreeViolation(ErrorCode.LimitExceeded, `document has more than maxNodes (${limits.maxNodes}) nodes`, path, {
    limit: 'maxNodes',
    max: limits.maxNodes,
  });
}

function depthBudget(limits: Limits, path: string): TreeViolation {
  return new TreeViolation(ErrorCode.LimitExceeded, `nesting is deeper than maxDepth (${limits.maxDepth})`, path, {
    limit: 'maxDepth',
    max: limits.maxDepth,
  });
}

function scalarBudget(limits: Limits, path: string): TreeViolation {
  return new TreeViolation(
    ErrorCode.LimitExceeded,
    `a string is longer than maxScalarBytes (${limits.maxScalarBytes})`,
    path,
    { limit: 'maxScalarBytes', max: limits.maxScalarBytes },
  );
}

/** Builds the violation for exceeding a limit (shared wording with the scanners). */
export const limitViolation = { nodeBudget, depthBudget, scalarBudget };
