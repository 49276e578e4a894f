/**
 * TOML (v1.0) via smol-toml. smol-toml already rejects redefinitions, unsafe keys and lossy
 * integers with a line/column; we map its failures to fixed categories (its message carries a
 * source excerpt), turn dates into ISO strings and copy into plain objects. Positions come lazily
 * from a light line scanner of our own (table headers, arrays of tables, `key =` lines).
 */
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { ErrorCode } from '../errors.js';
import type { Position } from '../tree/origins.js';
import { joinPath } from '../tree/path.js';
import { checkDocumentSize, parseError, type ParseProblem } from './failure.js';
import type { Format, ParseContext, Parsed } from './format.js';
import { LazyPositions, LineIndex } from './positions.js';
import { checkTree, TreeViolation } from './tree-check.js';

const FORMAT = 'toml';

/** The TOML format. Dates and times become ISO 8601 strings; integers must fit ±2^53-1. */
export const tomlFormat: Format = {
  name: FORMAT,
  extensions: ['.toml'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    const limits = ctx.limits;
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(text, { maxDepth: limits.maxDepth, unsafeKeyBehaviour: 'throw' }) as Record<string, unknown>;
    } catch (err) {
      throw parseError(FORMAT, ctx, tomlProblem(text, err, limits.maxDepth));
    }
    const positions = new LazyPositions(() => indexToml(text), 'nearest-ancestor');
    try {
      const values = checkTree(doc, { limits, copy: true, leaf: dateLeaf });
      return { values, positions };
    } catch (err) {
      if (!(err instanceof TreeViolation)) throw err;
      throw parseError(FORMAT, ctx, err.problem(positions));
    }
  },
};

function dateLeaf(value: object, path: () => string): unknown {
  if (value instanceof TomlDate) return value.toISOString();
  throw new TreeViolation(ErrorCode.ParseFailed, 'unsupported value type', path(), { reason: 'unsupported type' });
}

// smol-toml's reasons are fixed strings; only these pass into our message, anything else is
// reported as "syntax error" (a future version might interpolate source text).
const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'invalid value',
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
