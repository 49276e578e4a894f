/**
 * TOML 1.0 via smol-toml. smol-toml already rejects redefinitions, unsafe keys and lossy
 * integers with a line/column; we map its failures to fixed categories (its message carries a
 * source excerpt), build dates and times as TomlDateTime values, refuse what TOML 1.1 added
 * (smol-toml reads 1.1) and copy into plain objects. Positions come lazily from a light line
 * scanner of our own (table headers, arrays of tables, `key =` lines).
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { TomlDateTime } from '../tree/datetime.js';
import type { Position } from '../tree/origins.js';
import { joinPath } from '../tree/path.js';
import { checkDocumentSize, parseError, type ParseProblem } from './failure.js';
import type { Format, ParseContext, Parsed } from './format.js';
import { LazyPositions, LineIndex } from './positions.js';
import { checkTree, TreeViolation } from './tree-check.js';

const FORMAT = 'toml';

/**
 * The TOML 1.0 format. Dates and times become TomlDateTime values (kept as written); integers
 * must fit ±2^53-1 and floats the range of a double. TOML 1.1 additions are refused.
 */
export const tomlFormat: Format = {
  name: FORMAT,
  extensions: ['.toml'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    const limits = ctx.limits;
    // The decoder removed the file's BOM; smol-toml would silently skip a second one.
    if (text.charCodeAt(0) === 0xfeff) {
      throw parseError(FORMAT, ctx, {
        code: ErrorCode.ParseFailed,
        detail: 'invalid TOML: a second byte order mark',
        position: { line: 1, column: 1 },
        context: { reason: 'encoding' },
      });
    }
    const v11 = toml11Feature(text);
    if (v11 !== undefined) throw parseError(FORMAT, ctx, v11);
    let doc: Record<string, unknown>;
    try {
      doc = parseWithDateTimes(text, limits.maxDepth);
    } catch (err) {
      throw parseError(FORMAT, ctx, tomlProblem(text, err, limits.maxDepth));
    }
    const positions = new LazyPositions(() => indexToml(text), 'nearest-ancestor');
    try {
      // Only a literal with a 3-digit exponent or 300 digits can leave the range of a double.
      const number = /\d[eE][+-]?\d[\d_]{2}|[\d_]{300}/.test(text) ? floatChecker(text, positions) : undefined;
      const values = checkTree(doc, { limits, copy: true, leaf: dateLeaf, ...(number !== undefined ? { number } : {}) });
      return { values, positions };
    } catch (err) {
      if (!(err instanceof TreeViolation)) throw err;
      throw parseError(FORMAT, ctx, err.problem(positions));
    }
  },
};

function dateLeaf(value: object, path: () => string): unknown {
  if (value instanceof TomlDateTime) return value;
  throw new TreeViolation(ErrorCode.ParseFailed, 'unsupported value type', path(), { reason: 'unsupported type' });
}

// ---------------------------------------------------------------------------------------------
// Dates and times. smol-toml keeps only milliseconds in its legacy TomlDate (a mutable Date that
// moves 2100-02-29 to March 1st); with `useLegacyDate: false` it hands the literal's exact text
// to the global Temporal's `from`, without validating it. For the length of one synchronous
// parse, that global is a factory of TomlDateTime, which checks the calendar; what it throws,
// smol-toml reports at the literal's line and column. The previous global is then restored.

const fromText = (text: string): TomlDateTime => {
  try {
    return new TomlDateTime(text.replace(/\[[^\]]*\]$/, ''));
  } catch (err) {
    // smol-toml reports `String(thrown)` of a non-Error at the literal: our fixed reason only.
    throw new Rejection(err instanceof ConfigError ? err.detail : 'invalid date');
  }
};

class Rejection {
  constructor(readonly reason: string) {}
  toString(): string {
    return this.reason;
  }
}
const DATE_TIME_FACTORY = Object.freeze({
  ZonedDateTime: { from: fromText },
  PlainDateTime: { from: fromText },
  PlainDate: { from: fromText },
  PlainTime: { from: fromText },
});

function parseWithDateTimes(text: string, maxDepth: number): Record<string, unknown> {
  const options = { maxDepth, unsafeKeyBehaviour: 'throw', useLegacyDate: false } as const;
  // Only a document with a date (YYYY-) or time (HH:MM) can need the factory.
  if (!/\d-\d\d-|\d:\d/.test(text)) return parseToml(text, options) as Record<string, unknown>;
  const g = globalThis as { Temporal?: unknown };
  const had = Object.prototype.hasOwnProperty.call(g, 'Temporal');
  const saved = g.Temporal;
  g.Temporal = DATE_TIME_FACTORY;
  try {
    return parseToml(text, options) as Record<string, unknown>;
  } finally {
    if (had) g.Temporal = saved;
    else delete g.Temporal;
  }
}

// ---------------------------------------------------------------------------------------------
// TOML 1.1 additions, which smol-toml reads: refused, since the format is TOML 1.0.

/**
 * The first TOML 1.1 construct in `text`, if any: a newline or a trailing comma inside an inline
 * table, a `\\x` or `\\e` escape in a basic string. (Times without seconds are refused by
 * TomlDateTime.) A syntax error it does not understand is left to the parser.
 */
function toml11Feature(text: string): ParseProblem | undefined {
  if (!text.includes('{') && !text.includes('\\')) return undefined;
  const at = (i: number, detail: string): ParseProblem => ({
    code: ErrorCode.ParseFailed,
    detail: `invalid TOML: ${detail} (TOML 1.1; confstack reads TOML 1.0)`,
    position: new LineIndex(text).position(i),
    context: { reason: 'toml 1.1' },
  });
  const open: number[] = []; // char codes of the open brackets: [ or {
  let lastSignificant = 0; // char code of the last character outside strings, comments and spaces
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) break;
      i = eol - 1;
      continue;
    }
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const quote = triple ? text.slice(i, i + 3) : text[i]!;
      let j = i + quote.length;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \\ */ && c === 0x22) {
          const e = text[j + 1];
          if (e === 'x' || e === 'e') return at(j, `the escape \\${e}`);
          j++;
          continue;
        }
        if (!triple && d === 0x0a) break;
        if (text.startsWith(quote, j)) break;
      }
      if (j >= n) return undefined;
      i = j + quote.length - 1;
      // A closing triple quote may be followed by up to two more quotes of its kind.
      for (let extra = 0; triple && extra < 2 && text.charCodeAt(i + 1) === c; extra++) i++;
      lastSignificant = c;
      continue;
    }
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) open.push(c);
    else if (c === 0x5d /* ] */) open.pop();
    else if (c === 0x7d /* } */) {
      if (lastSignificant === 0x2c /* , */ && open[open.length - 1] === 0x7b) return at(i, 'a trailing comma in an inline table');
      open.pop();
    } else if (c === 0x0a && open[open.length - 1] === 0x7b) return at(i, 'a newline inside an inline table');
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) lastSignificant = c;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Floats: 1e400 would load as Infinity and 1e-400 as 0, a value nobody wrote. `inf`, `nan` and
// zero literals are fine; an overflowing or underflowing literal is refused like an inexact integer.

/** The check of zeros and infinities: refuses one whose literal is out of range. */
function floatChecker(text: string, positions: LazyPositions): (n: number, path: () => string) => void {
  let lines: LineIndex | undefined;
  return (_n, path) => {
    const at = path();
    const literal = floatLiteralAt(text, (lines ??= new LineIndex(text)), positions.get(at));
    if (literal === undefined) return;
    throw new TreeViolation(ErrorCode.ParseFailed, literal.overflow ? 'number is beyond the range of a double' : 'number is too small for a double (it would read as 0)', at, {
      reason: 'float range',
    });
  };
}

const FLOAT_LITERAL = /[+-]?(?:\d[\d_]*)(?:\.[\d_]+)?(?:[eE][+-]?[\d_]+)?/g;

/** An out-of-range float literal on the line of `position` (where the value's key is written). */
function floatLiteralAt(text: string, lines: LineIndex, position: Position | undefined): { overflow: boolean } | undefined {
  const from = position === undefined ? 0 : lines.offset(position.line, 1);
  const end = position === undefined ? text.length : text.indexOf('\n', from);
  let line = text.slice(from, end === -1 ? text.length : end);
  // The value, not the key: after the first `=` when the line has one.
  if (position !== undefined && line.includes('=')) line = line.slice(line.indexOf('=') + 1);
  for (const m of line.matchAll(FLOAT_LITERAL)) {
    const v = Number(m[0].replaceAll('_', ''));
    if (!Number.isFinite(v)) return { overflow: true };
    if (v === 0 && /[1-9]/.test(m[0].replace(/[eE].*$/, ''))) return { overflow: false };
  }
  return undefined;
}

// smol-toml's reasons are fixed strings; only these pass into our message, anything else is
// reported as "syntax error" (a future version might interpolate source text).
const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'invalid value',
  'impossible date',
  'impossible time',
  'impossible offset',
  'not a TOML date-time',
  'illegal leading zero',
  'illegal underscore',
  'illegal character in numeric literal',
  'unfinished numeric value',
  'invalid date-time: date part is malformed',
  'invalid date-time: time part is malformed',
  'invalid date',
  'expected end of table array declaration',
  'each key-value declaration must be followed by an end-of-line',
  'control characters are not allowed in strings',
  'invalid non-hex character in unicode escape',
  'invalid unicode escape',
  'unrecognised escape sequence',
  'invalid escape: only line-ending whitespace may be escaped',
  'unfinished string',
  'unexpected end of key',
  'illegal empty bare key',
  'illegal quoted key: multiline strings are not allowed',
  'illegal character in key',
  'incomplete key-value: cannot find end of key',
  'expected comma or end of structure',
  'unfinished table',
  'unfinished array',
  'control characters are not allowed in comments',
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function tomlProblem(text: string, err: unknown, maxDepth: number): ParseProblem {
  if (!(err instanceof TomlError)) {
    if (err instanceof RangeError) {
      return {
        code: ErrorCode.LimitExceeded,
        detail: `nesting is deeper than maxDepth (${maxDepth})`,
        context: { limit: 'maxDepth', max: maxDepth },
      };
    }
    return { code: ErrorCode.ParseFailed, detail: 'invalid TOML: syntax error', context: { reason: 'syntax error' } };
  }
  const position: Position = { line: err.line, column: err.column };
  const reason = /^Invalid TOML document: ([^\n]*)/.exec(err.message)?.[1] ?? '';
  if (reason.startsWith('trying to redefine')) return { code: ErrorCode.DuplicateKey, detail: 'duplicate key', position };
  if (reason.includes('unsafe property')) {
    const key = text.startsWith('__proto__', new LineIndex(text).offset(err.line, err.column)) ? '__proto__' : 'constructor';
    return { code: ErrorCode.ForbiddenKey, detail: `key "${key}" is not allowed`, position };
  }
  if (reason.includes('excessively nested')) {
    return {
      code: ErrorCode.LimitExceeded,
      detail: `nesting is deeper than maxDepth (${maxDepth})`,
      position,
      context: { limit: 'maxDepth', max: maxDepth },
    };
  }
  if (reason.includes('losslessly')) {
    const range = integerOutOfRange(text, new LineIndex(text).offset(err.line, err.column));
    return {
      code: ErrorCode.ParseFailed,
      detail: range ? 'integer is outside the 64-bit range' : 'integer cannot be represented exactly (beyond ±2^53-1)',
      position,
      context: { reason: range ? 'range' : 'precision' },
    };
  }
  const category = KNOWN_REASONS.has(reason) ? reason : 'syntax error';
  return { code: ErrorCode.ParseFailed, detail: `invalid TOML: ${category}`, position, context: { reason: category } };
}

/** Whether the integer literal at `offset` lies outside int64 (it is then not just imprecise). */
function integerOutOfRange(text: string, offset: number): boolean {
  const m = /[+-]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9_]+)/y;
  m.lastIndex = offset;
  const lit = m.exec(text)?.[0];
  if (lit === undefined) return false;
  let s = lit.replaceAll('_', '');
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  try {
    const v = BigInt(s) * (negative ? -1n : 1n);
    return v < INT64_MIN || v > INT64_MAX;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Lazy positions: a line scanner good enough for ordinary files. It understands table headers,
// arrays of tables (with item counters), `key = value` lines with dotted and quoted keys, and
// skips multi-line strings and multi-line arrays/inline tables. Paths inside inline values are
// answered with the nearest recorded ancestor (LazyPositions 'nearest-ancestor').

/**
 * Long because: one line loop with its state in locals (current table, array-of-tables
 * counters, an open multi-line string or bracket); each branch is a few lines for one kind of
 * line, read in the order a TOML file is.
 */
function indexToml(text: string): Map<string, Position> {
  const out = new Map<string, Position>();
  const arrays = new Map<string, number>(); // array-of-tables path -> current index
  const lines = text.split('\n');
  let table = '';
  let multiline: string | undefined; // closing delimiter of an open multi-line string
  let bracketDepth = 0; // open brackets of a multi-line array / inline table value
  const set = (path: string, line: number, column: number): void => {
    if (!out.has(path)) out.set(path, { line, column });
  };
  // Resolves header segments, stepping into the current item of each array of tables.
  // Implicitly created parents are recorded at the header that created them.
  const resolve = (segments: string[], line: number, column: number): string => {
    let p = '';
    for (const s of segments) {
      p = joinPath(p, s);
      const idx = arrays.get(p);
      if (idx !== undefined) p = joinPath(p, idx);
      set(p, line, column);
    }
    return p;
  };

  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.replace(/\r$/, '');
    const lineNo = ln + 1;
    if (multiline !== undefined) {
      if (line.includes(multiline)) multiline = undefined;
      continue;
    }
    if (bracketDepth > 0) {
      bracketDepth += bracketBalance(line, 0);
      continue;
    }
    const start = line.search(/\S/);
    if (start === -1 || line[start] === '#') continue;
    const column = start + 1;
    if (line.startsWith('[[', start)) {
      const keys = parseKeys(line, start + 2);
      if (keys === undefined) continue;
      const parent = resolve(keys.segments.slice(0, -1), lineNo, column);
      const full = joinPath(parent, keys.segments[keys.segments.length - 1]!);
      const idx = (arrays.get(full) ?? -1) + 1;
      arrays.set(full, idx);
      // Nested arrays of tables restart under the new item.
      for (const k of [...arrays.keys()]) if (k.startsWith(`${full}.`) || k.startsWith(`${full}[`)) arrays.delete(k);
      set(full, lineNo, column);
      table = joinPath(full, idx);
      set(table, lineNo, column);
      continue;
    }
    if (line[start] === '[') {
      const keys = parseKeys(line, start + 1);
      if (keys === undefined) continue;
      table = resolve(keys.segments, lineNo, column);
      set(table, lineNo, column);
      continue;
    }
    const keys = parseKeys(line, start);
    if (keys === undefined || line[keys.end] !== '=') continue;
    let p = table;
    for (const seg of keys.segments) {
      p = joinPath(p, seg);
      set(p, lineNo, column);
    }
    // Look at the value for constructs spanning lines.
    let v = keys.end + 1;
    while (line[v] === ' ' || line[v] === '\t') v++;
    const triple = line.slice(v, v + 3);
    if (triple === '"""' || triple === "'''") {
      if (!line.includes(triple, v + 3)) multiline = triple;
    } else if (line[v] === '[' || line[v] === '{') {
      bracketDepth = Math.max(0, bracketBalance(line, v));
    }
  }
  return out;
}

/** Parses `a.b."c d".'e'` from `from`; returns the segments and the offset after trailing space. */
function parseKeys(line: string, from: number): { segments: string[]; end: number } | undefined {
  const segments: string[] = [];
  let i = from;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    const c = line[i];
    if (c === '"') {
      const m = /"(?:[^"\\]|\\.)*"/y;
      m.lastIndex = i;
      const hit = m.exec(line);
      if (hit === null) return undefined;
      try {
        segments.push(JSON.parse(hit[0]) as string);
      } catch {
        segments.push(hit[0].slice(1, -1));
      }
      i += hit[0].length;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close === -1) return undefined;
      segments.push(line.slice(i + 1, close));
      i = close + 1;
    } else {
      const m = /[A-Za-z0-9_-]+/y;
      m.lastIndex = i;
      const hit = m.exec(line);
      if (hit === null) return undefined;
      segments.push(hit[0]);
      i += hit[0].length;
    }
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== '.') break;
    i++;
  }
  return { segments, end: i };
}

/** Net count of `[`/`{` minus `]`/`}` outside strings and comments, from `from`. */
function bracketBalance(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === '#') break;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}
