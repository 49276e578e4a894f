/**
 * JSON: `JSON.parse` for values, guarded by a single-pass pre-scan of our own that enforces what
 * JSON.parse does not: duplicate keys (it keeps the last silently), forbidden keys, nesting depth
 * (it throws RangeError on deep input), scalar size, node count and integer precision. Positions
 * and syntax-error locations come from a slower strict tokenizer that runs only when needed.
 */
import { ErrorCode } from '../foundation/errors.js';
import type { Limits } from '../tree/limits.js';
import type { Position } from '../tree/origins.js';
import { isForbiddenSegment, joinPath } from '../tree/path.js';
import { checkDocumentSize, exceedsBytes, parseError, type ParseProblem } from './failure.js';
import type { Format, ParseContext, Parsed } from './format.js';
import { LazyPositions, LineIndex } from './positions.js';
import { limitViolation, TreeViolation } from './tree-check.js';

const FORMAT = 'json';

/** The JSON format (RFC 8259), strict: no comments, no trailing commas, unique keys. */
export const jsonFormat: Format = {
  name: FORMAT,
  extensions: ['.json'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (err) {
      // Deep nesting (RangeError) and every syntax error: the exact scanners say what and where.
      const problem = preScan(text, ctx.limits);
      if (problem === undefined && err instanceof RangeError) {
        // Nesting within a very large maxDepth still exhausted V8's stack.
        const max = ctx.limits.maxDepth;
        throw parseError(FORMAT, ctx, {
          code: ErrorCode.LimitExceeded,
          detail: `nesting is too deep to parse (maxDepth ${max})`,
          context: { limit: 'maxDepth', max },
        });
      }
      throw parseError(FORMAT, ctx, problem ?? syntaxProblem(text, err));
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw parseError(FORMAT, ctx, {
        code: ErrorCode.ParseFailed,
        detail: 'the document root must be an object',
        position: new LineIndex(text).position(firstNonSpace(text)),
        context: { reason: 'root not a mapping' },
      });
    }
    const suspicion = fastCheck(values as Record<string, unknown>, text, ctx.limits);
    if (suspicion !== undefined) {
      // Something may be wrong: the exact pre-scan decides and locates it.
      const problem = preScan(text, ctx.limits);
      if (problem !== undefined) throw parseError(FORMAT, ctx, problem);
      if (suspicion !== NOT_CONFIRMED_OK) {
        throw parseError(FORMAT, ctx, {
          code: suspicion.code,
          detail: suspicion.detail,
          ...(suspicion.context !== undefined ? { context: suspicion.context } : {}),
        });
      }
    }
    return { values: values as Record<string, unknown>, positions: positionsFor(text) };
  },
};

function positionsFor(text: string): LazyPositions {
  return new LazyPositions(() => tokenize(text, true).positions ?? new Map());
}

// ---------------------------------------------------------------------------------------------
// Fast check, after JSON.parse: one walk of the parsed tree (cheaper than any character loop of
// ours over the text). It enforces depth, node, scalar-size and forbidden-key limits, and detects
// duplicate keys by counting: in valid JSON every ':' outside strings separates one key from its
// value, so  (colons in the text) - (colons inside decoded strings)  is the number of keys written;
// JSON.parse keeps one per distinct key, so any shortfall in the tree's key count is a duplicate.
// (An escaped `\u003a` would decode to a colon not in the text: then we always pre-scan.)
// Integers beyond 2^53 cannot be told from float literals (1e20) after parsing: pre-scan decides.

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/**
 * Whether the text has a literal that can read as 0 though not zero: a digit, then a negative
 * exponent of 3 digits (1e-400), or a run of 300 zeros (0.000…1). indexOf visits only the
 * candidates: a regular expression over a large text costs more.
 */
function mayUnderflow(text: string): boolean {
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  for (const marker of ['e-', 'E-']) {
    for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 2)) {
      if (isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3)) && isDigit(text.charCodeAt(i + 4))) return true;
    }
  }
  return text.includes('0'.repeat(300));
}
/** The walk saw something only the pre-scan can decide, and the pre-scan found it fine. */
const NOT_CONFIRMED_OK = 'unconfirmed' as const;

type Suspicion = TreeViolation | typeof NOT_CONFIRMED_OK;

function fastCheck(root: Record<string, unknown>, text: string, limits: Limits): Suspicion | undefined {
  if (text.includes('\\u003a') || text.includes('\\u003A')) return NOT_CONFIRMED_OK;
  const walk = new FastWalk(limits, text);
  try {
    walk.value(root, 0);
  } catch (err) {
    if (err instanceof TreeViolation) return err;
    throw err;
  }
  if (walk.unsafeNumber) return NOT_CONFIRMED_OK;
  let colons = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) colons++;
  if (colons - walk.colonsInStrings !== walk.keys) return NOT_CONFIRMED_OK;
  return undefined;
}

/**
 * Counters for the fast walk. It builds no paths (that would cost on every document): a violation
 * is thrown without a path and the exact pre-scan, which runs next, locates it.
 */
class FastWalk {
  keys = 0;
  colonsInStrings = 0;
  nodes = 0;
  unsafeNumber = false;
  mayUnderflow: boolean | undefined;
  readonly maxNodes: number;
  readonly maxDepth: number;
  readonly maxScalar: number;

  constructor(
    readonly limits: Limits,
    readonly text: string,
  ) {
    this.maxNodes = limits.maxNodes;
    this.maxDepth = limits.maxDepth;
    this.maxScalar = limits.maxScalarBytes;
  }

  value(v: unknown, depth: number): void {
    if (++this.nodes > this.maxNodes) throw limitViolation.nodeBudget(this.limits, '');
    if (typeof v === 'string') {
      this.string(v);
      return;
    }
    if (typeof v === 'number') {
      if ((v > MAX_SAFE || v < -MAX_SAFE) && (Number.isInteger(v) || !Number.isFinite(v))) this.unsafeNumber = true;
      // A zero may be a literal that underflowed (1e-400): only the pre-scan can tell.
      else if (v === 0 && (this.mayUnderflow ??= mayUnderflow(this.text))) this.unsafeNumber = true;
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= this.maxDepth) throw limitViolation.depthBudget(this.limits, '');
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      this.keys++;
      if ((k.length === 9 || k.length === 11) && isForbiddenSegment(k)) {
        throw new TreeViolation(ErrorCode.ForbiddenKey, `key "${k}" is not allowed`, '');
      }
      this.string(k);
      this.value(o[k], depth + 1);
    }
  }

  string(s: string): void {
    if (s.length * 3 > this.maxScalar && exceedsBytes(s, this.maxScalar)) {
      throw limitViolation.scalarBudget(this.limits, '');
    }
    for (let i = s.indexOf(':'); i !== -1; i = s.indexOf(':', i + 1)) this.colonsInStrings++;
  }
}

// ---------------------------------------------------------------------------------------------
// Exact pre-scan (slow path: only after a failed JSON.parse or a fast-check suspicion). Tracks only
// structure: string extents, which strings are keys, brackets, numbers; it is not a validator.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;

/** Per-depth reusable key lists; small objects use linear search, big ones a Set. */
interface Frame {
  isObject: boolean;
  keys: string[];
  set: Set<string> | undefined;
}

const SET_THRESHOLD = 12;

/**
 * Long because: one pass over the text, one character at a time, with its whole state (position,
 * frames, the current string) in locals. Split per construct, every character would pay a call
 * and the state would live in a shared object: this is the slow path's inner loop.
 */
function preScan(text: string, limits: Limits): ParseProblem | undefined {
  const n = text.length;
  const frames: Frame[] = [];
  const maxDepth = limits.maxDepth;
  const maxScalar = limits.maxScalarBytes;
  const maxNodes = limits.maxNodes;
  let depth = 0;
  let frame: Frame | undefined;
  let expectKey = false;
  let nodes = 0;
  // Next backslash at or after the cursor; recomputed only when passed, so the search is linear.
  let nextBackslash = text.indexOf('\\');
  if (nextBackslash === -1) nextBackslash = n;

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) continue;
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      let escaped = false;
      if (nextBackslash < i) {
        nextBackslash = text.indexOf('\\', i);
        if (nextBackslash === -1) nextBackslash = n;
      }
      if (nextBackslash < end) {
        escaped = true;
        // Skip escaped quotes: a quote preceded by an odd run of backslashes.
        while (end !== -1) {
          let b = end - 1;
          while (text.charCodeAt(b) === BACKSLASH) b--;
          if (((end - 1 - b) & 1) === 0) break;
          end = text.indexOf('"', end + 1);
        }
        nextBackslash = end === -1 ? n : text.indexOf('\\', end);
        if (nextBackslash === -1) nextBackslash = n;
      }
      if (end === -1) return undefined; // unterminated: JSON.parse reports it
      const len = end - i - 1;
      if (len > maxScalar || len * 3 > maxScalar) {
        const s = escaped ? decodeString(text, i, end) : text.slice(i + 1, end);
        if (s !== undefined && exceedsBytes(s, maxScalar)) {
          return limitProblem(text, i, 'maxScalarBytes', maxScalar, 'a string is longer than maxScalarBytes');
        }
      }
      if (expectKey && frame !== undefined) {
        const key = escaped ? decodeString(text, i, end) : text.slice(i + 1, end);
        if (key !== undefined) {
          if ((key.length === 9 || key.length === 11) && isForbiddenSegment(key)) {
            return {
              code: ErrorCode.ForbiddenKey,
              detail: `key "${key}" is not allowed`,
              position: new LineIndex(text).position(i),
            };
          }
          if (frame.set !== undefined) {
            if (frame.set.has(key)) return duplicateProblem(text, i);
            frame.set.add(key);
          } else {
            const keys = frame.keys;
            for (let k = 0; k < keys.length; k++) if (keys[k] === key) return duplicateProblem(text, i);
            keys.push(key);
            if (keys.length > SET_THRESHOLD) frame.set = new Set(keys);
          }
        }
        expectKey = false;
      } else if (++nodes > maxNodes) {
        return limitProblem(text, i, 'maxNodes', maxNodes, 'document has more than maxNodes nodes');
      }
      i = end;
    } else if (c === LBRACE || c === LBRACKET) {
      if (++depth > maxDepth) {
        return limitProblem(text, i, 'maxDepth', maxDepth, 'nesting is deeper than maxDepth');
      }
      if (++nodes > maxNodes) return limitProblem(text, i, 'maxNodes', maxNodes, 'document has more than maxNodes nodes');
      let f = frames[depth];
      if (f === undefined) {
        f = { isObject: false, keys: [], set: undefined };
        frames[depth] = f;
      } else {
        f.keys.length = 0;
        f.set = undefined;
      }
      f.isObject = c === LBRACE;
      frame = f;
      expectKey = f.isObject;
    } else if (c === RBRACE || c === RBRACKET) {
      if (depth > 0) depth--;
      frame = frames[depth];
      expectKey = false;
      if (depth === 0) frame = undefined;
    } else if (c === COMMA) {
      expectKey = frame !== undefined && frame.isObject;
    } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) continue;
        if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) integer = false;
        else break;
      }
      if (!integer || j - i > 300) {
        // A float (or a 300-digit integer) beyond the range of a double reads as ±Infinity or 0.
        const literal = text.slice(i, j);
        const v = Number(literal);
        if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, '')))) {
          return {
            code: ErrorCode.ParseFailed,
            detail: Number.isFinite(v) ? 'number is too small for a double (it would read as 0)' : 'number is beyond the range of a double',
            position: new LineIndex(text).position(i),
            context: { reason: 'float range' },
          };
        }
      }
      // 15 digits always fit; longer integer literals must stay exact.
      if (integer && j - i > 15 && !Number.isSafeInteger(Number(text.slice(i, j)))) {
        return {
          code: ErrorCode.ParseFailed,
          detail: 'integer cannot be represented exactly (beyond ±2^53-1)',
          position: new LineIndex(text).position(i),
          context: { reason: 'precision' },
        };
      }
      if (++nodes > maxNodes) return limitProblem(text, i, 'maxNodes', maxNodes, 'document has more than maxNodes nodes');
      i = j - 1;
    } else if (c !== 0x3a) {
      // true / false / null (or garbage, left to JSON.parse)
      if (++nodes > maxNodes) return limitProblem(text, i, 'maxNodes', maxNodes, 'document has more than maxNodes nodes');
      while (i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0x61 && d <= 0x7a) i++;
        else break;
      }
    }
  }
  return undefined;
}

/** Decodes the string token text[start..end] (quotes included); undefined if malformed. */
function decodeString(text: string, start: number, end: number): string | undefined {
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return undefined;
  }
}

function duplicateProblem(text: string, offset: number): ParseProblem {
  return { code: ErrorCode.DuplicateKey, detail: 'duplicate key', position: new LineIndex(text).position(offset) };
}

function limitProblem(text: string, offset: number, limit: string, max: number, detail: string): ParseProblem {
  return {
    code: ErrorCode.LimitExceeded,
    detail: `${detail} (${max})`,
    position: new LineIndex(text).position(offset),
    context: { limit, max },
  };
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m === null ? 0 : m.index;
}

// ---------------------------------------------------------------------------------------------
// Strict tokenizer: locates syntax errors for a short category, and records key positions.
// Iterative (explicit stack) so deep input cannot overflow the call stack.

interface TokenizeResult {
  error?: { detail: string; offset: number };
  positions?: Map<string, Position>;
}

function syntaxProblem(text: string, err: unknown): ParseProblem {
  let found = tokenize(text, false).error;
  if (found === undefined) {
    // Our tokenizer accepted what JSON.parse rejected: take only the offset from its message.
    const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
    found = { detail: 'syntax error', offset: m ? Number(m[1]) : 0 };
  }
  return {
    code: ErrorCode.ParseFailed,
    detail: `invalid JSON: ${found.detail}`,
    position: new LineIndex(text).position(Math.min(found.offset, text.length)),
    context: { reason: 'syntax', category: found.detail },
  };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const enum Expect {
  Value,
  KeyOrEnd,
  Key,
  Colon,
  CommaOrEnd,
}

interface Container {
  isObject: boolean;
  path: string;
  index: number;
}

/**
 * Long because: like preScan, one character loop whose state (container stack, pending key,
 * position) stays in locals; it runs only for positions, over documents of megabytes.
 */
function tokenize(text: string, wantPositions: boolean): TokenizeResult {
  const lines = wantPositions ? new LineIndex(text) : undefined;
  const positions = wantPositions ? new Map<string, Position>() : undefined;
  const stack: Container[] = [];
  const n = text.length;
  let expect: Expect = Expect.Value as Expect;
  let pendingPath = '';
  let done = false;
  let i = 0;
  const fail = (detail: string, offset: number): TokenizeResult => ({ error: { detail, offset } });

  const valueStarted = (): void => {
    // Records the position of an array item at the start of its value.
    const top = stack[stack.length - 1];
    if (top !== undefined && !top.isObject) {
      pendingPath = joinPath(top.path, top.index);
      if (positions !== undefined) positions.set(pendingPath, lines!.position(i));
    }
  };
  const valueEnded = (): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) done = true;
    else {
      if (!top.isObject) top.index++;
      expect = Expect.CommaOrEnd;
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (done) return fail('unexpected content after the document', i);
    switch (expect) {
      case Expect.Value: {
        valueStarted();
        if (c === LBRACE || c === LBRACKET) {
          stack.push({ isObject: c === LBRACE, path: stack.length === 0 ? '' : pendingPath, index: 0 });
          expect = c === LBRACE ? Expect.KeyOrEnd : Expect.Value;
          i++;
          if (c === LBRACKET) {
            // An empty array closes at once.
            let j = i;
            for (let d = text.charCodeAt(j); d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09; d = text.charCodeAt(++j));
            if (text.charCodeAt(j) === RBRACKET) {
              stack.pop();
              i = j + 1;
              valueEnded();
            }
          }
          continue;
        }
        if (c === QUOTE) {
          const r = scanString(text, i);
          if (typeof r !== 'number') return fail(r.detail, r.offset);
          i = r;
          valueEnded();
          continue;
        }
        if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
          const m = NUMBER;
          m.lastIndex = i;
          const hit = m.exec(text);
          if (hit === null || hit[0] === '-') return fail('invalid number', i);
          const after = text.charCodeAt(i + hit[0].length);
          if ((after >= 0x30 && after <= 0x39) || after === 0x2e || after === 0x65 || after === 0x45) {
            return fail('invalid number', i);
          }
          i += hit[0].length;
          valueEnded();
          continue;
        }
        const lit = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
        if (lit !== undefined && text.startsWith(lit, i)) {
          i += lit.length;
          valueEnded();
        }
        if (expect === Expect.Value && !done) {
          const top = stack[stack.length - 1];
          if (c === RBRACKET && top !== undefined && !top.isObject) return fail('trailing comma', i);
          return fail(i >= n ? 'unexpected end of input' : 'unexpected character', i);
        }
        continue;
      }
      case Expect.KeyOrEnd:
      case Expect.Key: {
        if (c === RBRACE && expect === Expect.KeyOrEnd) {
          stack.pop();
          i++;
          valueEnded();
          continue;
        }
        if (c !== QUOTE) return fail(c === RBRACE ? 'trailing comma' : 'expected a quoted key', i);
        const r = scanString(text, i);
        if (typeof r !== 'number') return fail(r.detail, r.offset);
        const raw = text.slice(i + 1, r - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, r)) as string) : raw;
        pendingPath = joinPath(stack[stack.length - 1]!.path, key);
        if (positions !== undefined && !positions.has(pendingPath)) positions.set(pendingPath, lines!.position(i));
        i = r;
        expect = Expect.Colon;
        continue;
      }
      case Expect.Colon:
        if (c !== 0x3a) return fail("expected ':' after a key", i);
        i++;
        expect = Expect.Value;
        continue;
      case Expect.CommaOrEnd: {
        const top = stack[stack.length - 1]!;
        if (c === COMMA) {
          i++;
          expect = top.isObject ? Expect.Key : Expect.Value;
          continue;
        }
        if ((c === RBRACE && top.isObject) || (c === RBRACKET && !top.isObject)) {
          stack.pop();
          i++;
          valueEnded();
          continue;
        }
        return fail(top.isObject ? "expected ',' or '}'" : "expected ',' or ']'", i);
      }
    }
  }
  if (!done) return fail(stack.length > 0 || expect !== Expect.Value ? 'unexpected end of input' : 'empty document', n);
  return positions !== undefined ? { positions } : {};
}

/** Returns the offset after a string token starting at `start`, or a problem. */
function scanString(text: string, start: number): number | { detail: string; offset: number } {
  const n = text.length;
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return { detail: c === 0x0a ? 'unterminated string' : 'control character in string', offset: i };
    if (c === BACKSLASH) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { detail: 'invalid escape', offset: i };
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else return { detail: e === undefined ? 'unterminated string' : 'invalid escape', offset: i };
    }
  }
  return { detail: 'unterminated string', offset: start };
}
