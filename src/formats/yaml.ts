/**
 * YAML (1.2 core schema). Fast path: js-yaml with CORE_SCHEMA (no timestamps, binary or js/*
 * types; unknown tags and duplicate keys are errors), plus an alias pre-count and a post-pass
 * that measures shared (aliased) subtrees without expanding them.
 *
 * Strictness: js-yaml accepts some invalid YAML (tabs as indentation, `--- key: v`, a comment
 * glued to a quoted scalar, mis-indented multi-line scalars…), turns collection keys into strings
 * (`[a, b]: x` -> "a,b") and refuses some valid YAML (empty keys, `--- >`…). The `yaml` package
 * (eemeli) gets these right but parses ~8x slower, so it runs only when needed: when js-yaml
 * fails (it then decides whether the text is valid), or when a cheap scan of the text finds a
 * construct where the two can differ (STRICT_TRIGGERS). Ordinary config files take the fast path.
 *
 * Positions: resolved lazily by re-parsing with `yaml` and its LineCounter, loaded synchronously
 * on first use (~40 ms to import).
 */
import { createRequire } from 'node:module';
import * as jsYaml from 'js-yaml';
import { ErrorCode } from '../foundation/errors.js';
import type { Limits } from '../tree/limits.js';
import type { Position } from '../tree/origins.js';
import { joinPath } from '../tree/path.js';
import { checkDocumentSize, parseError, type ParseProblem } from './failure.js';
import type { Format, ParseContext, Parsed } from './format.js';
import { LazyPositions, LineIndex } from './positions.js';
import { checkTree, measureShared, TreeViolation } from './tree-check.js';

const FORMAT = 'yaml';

/** An integer literal that a JS number cannot hold exactly; rejected by the post-pass. */
class UnsafeInteger {
  constructor(readonly literal: string) {}
}

/** A float literal beyond the range of a double (1e400) or that reads as 0 (1e-400). */
class UnsafeFloat {
  constructor(readonly overflow: boolean) {}
}

/** Whether a float literal that parsed to `v` left the range of a double. */
function floatOutOfRange(literal: string, v: number): UnsafeFloat | undefined {
  if (v === Infinity || v === -Infinity) return /inf/i.test(literal) ? undefined : new UnsafeFloat(true);
  if (v === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, ''))) return new UnsafeFloat(false);
  return undefined;
}

const coreInt = (jsYaml as unknown as { types: { int: jsYaml.Type } }).types.int;
const safeInt = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => coreInt.resolve(data),
  construct: (data: string) => {
    const v: unknown = coreInt.construct(data);
    return typeof v === 'number' && !Number.isSafeInteger(v) ? new UnsafeInteger(data) : v;
  },
});
/** The YAML 1.2 core schema's float, .inf and .nan included. */
const CORE_FLOAT = /^(?:[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const coreFloat = (jsYaml as unknown as { types: { float: jsYaml.Type } }).types.float;
const safeFloat = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  // js-yaml's own resolve reads an overflowing literal (1e400) as a string; it is a float, out
  // of range. Most plain scalars are words: the first character rules them out.
  resolve: (data: unknown) => {
    if (typeof data !== 'string' || data === '') return false;
    const c = data.charCodeAt(0);
    return ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) && CORE_FLOAT.test(data);
  },
  construct: (data: string) => {
    const v: unknown = coreFloat.construct(data);
    return typeof v === 'number' ? (floatOutOfRange(data, v) ?? v) : v;
  },
});
/**
 * CORE_SCHEMA with int and float types that refuse to round (they replace the core ones: same
 * tag and kind).
 */
const SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [safeInt, safeFloat] });

/** The YAML format: one document, YAML 1.2 core schema, no custom tags, unique keys. */
export const yamlFormat: Format = {
  name: FORMAT,
  extensions: ['.yaml', '.yml'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    const limits = ctx.limits;
    checkAliasBudget(text, ctx);
    let doc: unknown;
    let failure: unknown;
    try {
      // js-yaml counts every node (scalars too) in its depth: allow one more for the leaves.
      doc = jsYaml.load(text, { schema: SCHEMA, maxDepth: limits.maxDepth + 1 } as jsYaml.LoadOptions);
    } catch (err) {
      failure = err;
    }
    if (failure === undefined) {
      const strict = needsStrictCheck(text) ? strictParse(text, limits, false) : undefined;
      if (strict?.problem !== undefined) throw parseError(FORMAT, ctx, strict.problem);
    } else {
      const problem = yamlProblem(text, failure, limits);
      const syntax = (p: ParseProblem | undefined) => p !== undefined && p.code === ErrorCode.ParseFailed && SYNTAX_CATEGORIES.has(String(p.context?.reason));
      if (!(failure instanceof jsYaml.YAMLException) || !syntax(problem)) throw parseError(FORMAT, ctx, problem);
      // js-yaml refuses some valid YAML; the reference parser decides a syntax error. When both
      // refuse, js-yaml's located category is kept.
      const strict = strictParse(text, limits, true);
      if (strict === undefined || strict.problem !== undefined) throw parseError(FORMAT, ctx, strict?.problem !== undefined && !syntax(strict.problem) ? strict.problem : problem);
      doc = strict.value;
    }
    const positions = new LazyPositions(() => indexYaml(text, limits), 'nearest-ancestor');
    if (doc === undefined || doc === null) return { values: {}, positions };
    if (typeof doc !== 'object' || Array.isArray(doc) || doc instanceof UnsafeInteger || doc instanceof UnsafeFloat) {
      throw parseError(FORMAT, ctx, {
        code: ErrorCode.ParseFailed,
        detail: 'the document root must be a mapping',
        position: new LineIndex(text).position(Math.max(0, text.search(/[^\s#]/))),
        context: { reason: 'root not a mapping' },
      });
    }
    // Only aliases of anchors create shared subtrees; without both `&` and `*` it is a tree.
    const shared = text.includes('&') && text.includes('*');
    let values: Record<string, unknown>;
    try {
      if (shared) measureShared(doc, limits);
      values = checkTree(doc as Record<string, unknown>, { limits, copy: shared, leaf: unsafeIntegerLeaf });
    } catch (err) {
      if (!(err instanceof TreeViolation)) throw err;
      throw parseError(FORMAT, ctx, err.problem(positions));
    }
    return { values, positions };
  },
};

function unsafeIntegerLeaf(value: object, path: () => string): unknown {
  if (value instanceof UnsafeFloat) {
    throw new TreeViolation(
      ErrorCode.ParseFailed,
      value.overflow ? 'number is beyond the range of a double' : 'number is too small for a double (it would read as 0)',
      path(),
      { reason: 'float range' },
    );
  }
  if (value instanceof UnsafeInteger) {
    const reason = inInt64(value.literal) ? 'precision' : 'range';
    throw new TreeViolation(
      ErrorCode.ParseFailed,
      reason === 'precision'
        ? 'integer cannot be represented exactly (beyond ±2^53-1)'
        : 'integer is outside the 64-bit range',
      path(),
      { reason },
    );
  }
  throw new TreeViolation(ErrorCode.ParseFailed, 'unsupported value type', path(), { reason: 'unsupported type' });
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function inInt64(literal: string): boolean {
  let s = literal.replaceAll('_', '');
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  try {
    const v = BigInt(s) * (negative ? -1n : 1n);
    return v >= INT64_MIN && v <= INT64_MAX;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The strict check. needsStrictCheck looks for every construct where js-yaml accepts what YAML
// 1.2 refuses or reads a different value, as measured on yaml-test-suite
// (test/conformance/): tabs, content on a document-marker line, anchors and tags (placement
// rules; an alias of a collection as a key), a comment glued to a quoted scalar or a bracket,
// quoted scalars and flow collections continued on the next line, collections as keys, explicit
// keys, whitespace-only lines near block scalars. Each test visits only the occurrences of its
// character (found with indexOf), so an ordinary 100 KB file costs well under a millisecond.

function needsStrictCheck(text: string): boolean {
  if (text.includes('\t')) return true;
  if ((text.includes('---') || text.includes('...')) && /^(?:---|\.\.\.)[ \t]+[^\s#]/m.test(text)) return true;
  // One row per character: the test of each of its occurrences. (A table rather than one long
  // `||` chain, which a bundler prints as a single line of over 700 characters.)
  const triggers: readonly (readonly [string, (i: number) => boolean])[] = [
    ['&', opensNode],
    ['!', opensNode],
    ['#', (i) => i > 0 && '"\']}'.includes(text[i - 1]!)],
    ['"', (i) => opensNode(i) && !closesOnLine(text, i, '"')],
    ["'", (i) => opensNode(i) && !closesOnLine(text, i, "'")],
    ['[', (i) => opensNode(i) && !closesOnLine(text, i, ']')],
    ['{', (i) => opensNode(i) && !closesOnLine(text, i, '}')],
    [']', (i) => colonAfter(text, i)],
    ['}', (i) => colonAfter(text, i)],
    ['?', (i) => /^[ \t-]*$/.test(text.slice(text.lastIndexOf('\n', i) + 1, i)) && /[ \t\r\n]/.test(text[i + 1] ?? '\n')],
  ];
  if (triggers.some(([ch, hit]) => some(text, ch, hit))) return true;
  return (some(text, '|', opensNode) || some(text, '>', opensNode)) && /^ +$/m.test(text);

  /** Whether the character at `i` starts a node: at a line start or after space, `,`, `[`, `{`, `:`, `-`. */
  function opensNode(i: number): boolean {
    return i === 0 || ' \n\r,[{:-'.includes(text[i - 1]!);
  }
}

function some(text: string, ch: string, test: (i: number) => boolean): boolean {
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) if (test(i)) return true;
  return false;
}

/** Whether `close` occurs after `i` on the same line (a `\"` escape skipped for double quotes). */
function closesOnLine(text: string, i: number, close: string): boolean {
  const eol = text.indexOf('\n', i);
  const end = eol === -1 ? text.length : eol;
  for (let j = text.indexOf(close, i + 1); j !== -1 && j < end; j = text.indexOf(close, j + 1)) {
    if (close !== '"' || text[j - 1] !== '\\' || text[j - 2] === '\\') return true;
  }
  return false;
}

/** Whether a `:` follows position `i` after spaces or tabs (a flow collection used as a key). */
function colonAfter(text: string, i: number): boolean {
  let j = i + 1;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return text[j] === ':';
}

/** js-yaml's syntax-error categories: for these, the reference parser decides. */
const SYNTAX_CATEGORIES: ReadonlySet<string> = new Set([
  'syntax error',
  'unknown alias',
  'unterminated string',
  'bad indentation',
  'duplicate anchor',
  'unexpected content',
  'unexpected end of a flow collection',
  'malformed mapping',
  'invalid escape sequence',
  'tab used for indentation',
]);

const YAML_ERROR_CATEGORIES: Readonly<Record<string, string>> = {
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tab used for indentation',
  MULTIPLE_DOCS: 'multiple documents',
  BAD_DQ_ESCAPE: 'invalid escape sequence',
  MISSING_CHAR: 'unexpected end of a flow collection',
  BLOCK_AS_IMPLICIT_KEY: 'malformed mapping',
  MULTILINE_IMPLICIT_KEY: 'malformed mapping',
  UNEXPECTED_TOKEN: 'unexpected content',
  BAD_ALIAS: 'unknown alias',
  TAG_RESOLVE_FAILED: 'unsupported tag',
};

interface StrictResult {
  problem?: ParseProblem;
  value?: unknown;
}

/**
 * Parses with the `yaml` package: its first error or warning (an unresolved tag is only a warning
 * there), a collection used as a key, or an out-of-range float, as a problem; else the value
 * when `wantValue` (integers come as BigInt and are checked like js-yaml's).
 */
function strictParse(text: string, limits: Limits, wantValue: boolean): StrictResult | undefined {
  try {
    return strictParseUnguarded(text, limits, wantValue);
  } catch {
    // The yaml package ran out of stack (deep input): no verdict; the caller keeps js-yaml's.
    return undefined;
  }
}

function strictParseUnguarded(text: string, limits: Limits, wantValue: boolean): StrictResult {
  const { parseDocument, LineCounter, visit, isCollection, isAlias, isScalar, Scalar } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: true, strict: true, intAsBigInt: true, prettyErrors: false });
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const first = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (first !== undefined) {
    if (first.code === 'DUPLICATE_KEY') return { problem: { code: ErrorCode.DuplicateKey, detail: 'duplicate key', position: at(first.pos[0]) } };
    const category = YAML_ERROR_CATEGORIES[first.code] ?? 'syntax error';
    return { problem: { code: ErrorCode.ParseFailed, detail: `invalid YAML: ${category}`, position: at(first.pos[0]), context: { reason: category } } };
  }
  let problem: ParseProblem | undefined;
  visit(doc, {
    Pair(_key, pair) {
      // A null key reads as "null", as js-yaml reads it (the yaml package would write "").
      if (wantValue && (pair.key === null || (isScalar(pair.key) && pair.key.value === null))) pair.key = new Scalar('null');
      const key = pair.key;
      if (isCollection(key) || (isAlias(key) && isCollection(key.resolve(doc)))) {
        problem = {
          code: ErrorCode.ParseFailed,
          detail: 'invalid YAML: a collection used as a mapping key (keys must be scalars)',
          position: at((key as { range?: [number, number, number] }).range?.[0]),
          context: { reason: 'collection key' },
        };
        return visit.BREAK;
      }
      return undefined;
    },
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || node.range === undefined || node.range === null) return undefined;
      const range = node.range;
      const unsafe = floatOutOfRange(text.slice(range[0], range[1]), node.value);
      if (unsafe === undefined) return undefined;
      problem = {
        code: ErrorCode.ParseFailed,
        detail: unsafe.overflow ? 'number is beyond the range of a double' : 'number is too small for a double (it would read as 0)',
        position: at(range[0]),
        context: { reason: 'float range' },
      };
      return visit.BREAK;
    },
  });
  if (problem !== undefined || !wantValue) return problem !== undefined ? { problem } : {};
  // Aliases come out as shared references (measureShared bounds them); checkAliasBudget ran.
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  return { value: bigintsToNumbers(value, limits.maxDepth + 2) };
}

/**
 * Safe BigInts to numbers, others to UnsafeInteger (refused by the post-pass). In place; each
 * object once, since aliases share subtrees (a billion-laughs document must not expand here).
 */
function bigintsToNumbers(v: unknown, depthLeft: number, seen = new Set<object>()): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : new UnsafeInteger(String(v));
  if (v === null || typeof v !== 'object' || depthLeft <= 0 || seen.has(v)) return v;
  seen.add(v);
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) rec[k] = bigintsToNumbers(rec[k], depthLeft - 1, seen);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Alias budget: a cheap upper bound first (alias-like `*name` tokens), exact count only when the
// bound is over the limit. The expansion itself is bounded by measureShared (maxNodes).

const ALIAS_TOKEN = /(?:^|[\s,[{:?-])\*[^\s,[\]{}]/g;

function checkAliasBudget(text: string, ctx: ParseContext): void {
  const max = ctx.limits.maxAliases;
  if (text.indexOf('*') === -1) return;
  let bound = 0;
  ALIAS_TOKEN.lastIndex = 0;
  while (ALIAS_TOKEN.exec(text) !== null) if (++bound > max) break;
  if (bound <= max) return;
  const { parseDocument, visit, LineCounter } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: false });
  let count = 0;
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (++count > max) {
        at = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (count > max) {
    const p = at === undefined ? undefined : lineCounter.linePos(at);
    throw parseError(FORMAT, ctx, {
      code: ErrorCode.LimitExceeded,
      detail: `document uses more than maxAliases (${max}) aliases`,
      position: p === undefined ? undefined : { line: p.line, column: p.col },
      context: { limit: 'maxAliases', max },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Error mapping: js-yaml's `reason` picks a fixed category; its message (with a source snippet)
// is never used.

const CATEGORIES: readonly [RegExp, ErrorCode, string][] = [
  [/^duplicated mapping key/, ErrorCode.DuplicateKey, 'duplicate key'],
  [/^unknown tag|^unacceptable node kind|^unknown (?:named )?type|tag .* (?:is not|may not)/, ErrorCode.ParseFailed, 'unsupported tag'],
  [/^nesting exceeded maxDepth/, ErrorCode.LimitExceeded, 'nesting is deeper than maxDepth'],
  [/^expected a single document/, ErrorCode.ParseFailed, 'multiple documents'],
  [/^unidentified alias/, ErrorCode.ParseFailed, 'unknown alias'],
  [/within a (?:double|single) quoted scalar|unexpected end of the stream within/, ErrorCode.ParseFailed, 'unterminated string'],
  [/^bad indentation/, ErrorCode.ParseFailed, 'bad indentation'],
  [/^duplication of an anchor|^duplicated anchor/, ErrorCode.ParseFailed, 'duplicate anchor'],
  [/end of the stream or a document separator is expected/, ErrorCode.ParseFailed, 'unexpected content'],
  [/^missed comma|^expected the node content|^unexpected end of the stream/, ErrorCode.ParseFailed, 'unexpected end of a flow collection'],
  [/^incomplete explicit mapping pair|^can not read/, ErrorCode.ParseFailed, 'malformed mapping'],
  [/escape/, ErrorCode.ParseFailed, 'invalid escape sequence'],
  [/tab characters/, ErrorCode.ParseFailed, 'tab used for indentation'],
];

function yamlProblem(text: string, err: unknown, limits: Limits): ParseProblem {
  if (err instanceof RangeError) {
    // Only reachable with a very large maxDepth: the parser ran out of stack first.
    return {
      code: ErrorCode.LimitExceeded,
      detail: `nesting is deeper than maxDepth (${limits.maxDepth})`,
      context: { limit: 'maxDepth', max: limits.maxDepth },
    };
  }
  const reason = err instanceof jsYaml.YAMLException && typeof err.reason === 'string' ? err.reason : '';
  const mark = err instanceof jsYaml.YAMLException ? (err.mark as jsYaml.Mark | undefined) : undefined;
  let code: ErrorCode = ErrorCode.ParseFailed;
  let category = 'syntax error';
  for (const [re, c, label] of CATEGORIES) {
    if (re.test(reason)) {
      code = c;
      category = label;
      break;
    }
  }
  const lines = new LineIndex(text);
  let position: Position | undefined;
  if (mark !== undefined && typeof mark.position === 'number') {
    let offset = mark.position;
    if (category === 'unsupported tag') {
      // js-yaml marks the end of the tagged node; point at the tag itself when it is nearby.
      let bang = text.lastIndexOf('!', Math.max(0, offset - 1));
      while (bang > 0 && text[bang - 1] === '!') bang--;
      if (bang !== -1 && !text.slice(bang, offset).includes('\n')) offset = bang;
    }
    position = lines.position(atContent(text, offset));
  } else if (category === 'multiple documents') {
    const second = secondDocumentStart(text);
    if (second !== undefined) position = lines.position(second);
  }
  if (code === ErrorCode.LimitExceeded) {
    return { code, detail: `${category} (${limits.maxDepth})`, position, context: { limit: 'maxDepth', max: limits.maxDepth } };
  }
  const detail = code === ErrorCode.DuplicateKey ? 'duplicate key' : `invalid YAML: ${category}`;
  return { code, detail, position, context: { reason: category } };
}

/**
 * js-yaml reports some errors at the start of the next (often empty) line or at end of input;
 * the fault is then on the last line with content before it.
 */
function atContent(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (offset !== lineStart) return offset;
  const lineEnd = text.indexOf('\n', offset);
  if (text.slice(offset, lineEnd === -1 ? text.length : lineEnd).trim() !== '') return offset;
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    const first = line.search(/\S/);
    if (first !== -1) return start + first;
    end = start - 1;
  }
  return offset;
}

/** Offset of the `---` that starts the second document (a heuristic for the error position). */
function secondDocumentStart(text: string): number | undefined {
  const markers = [...text.matchAll(/^(?:---|\.\.\.)(?=\s|$)/gm)].map((m) => m.index);
  const first = markers[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first).replace(/#.*$/gm, '').trim();
  return before === '' ? (markers[1] ?? first) : first;
}

// ---------------------------------------------------------------------------------------------
// Lazy positions from `yaml` (eemeli). `get` is synchronous, so the module is required, not
// imported; the require is cached by Node.

type YamlModule = typeof import('yaml');
let yamlLib: YamlModule | undefined;

function yamlModule(): YamlModule {
  yamlLib ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlLib;
}

function indexYaml(text: string, limits: Limits): Map<string, Position> {
  const { parseDocument, LineCounter, isMap, isSeq, isScalar } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: false, keepSourceTokens: false });
  const out = new Map<string, Position>();
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > limits.maxDepth + 1) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        const p = joinPath(path, String(key.value));
        if (key.range && !out.has(p)) out.set(p, at(key.range[0]));
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = joinPath(path, i);
        const range = (item as { range?: [number, number, number] } | null)?.range;
        if (range && !out.has(p)) out.set(p, at(range[0]));
        walk(item, p, depth + 1);
      });
    }
  };
  walk(doc.contents, '', 0);
  return out;
}
