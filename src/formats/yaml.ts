/**
 * YAML (1.2 core schema). Fast path: js-yaml with CORE_SCHEMA (no timestamps, binary or js/*
 * types; unknown tags and duplicate keys are errors), plus an alias pre-count and a post-pass
 * that measures shared (aliased) subtrees without expanding them. Positions: resolved lazily by
 * re-parsing with `yaml` (eemeli) and its LineCounter, loaded synchronously on first use because
 * it is ~8x slower and ~40 ms to import.
 */
import { createRequire } from 'node:module';
import * as jsYaml from 'js-yaml';
import { ErrorCode } from '../errors.js';
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

const coreInt = (jsYaml as unknown as { types: { int: jsYaml.Type } }).types.int;
const safeInt = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => coreInt.resolve(data),
  construct: (data: string) => {
    const v: unknown = coreInt.construct(data);
    return typeof v === 'number' && !Number.isSafeInteger(v) ? new UnsafeInteger(data) : v;
  },
});
/** CORE_SCHEMA with an int type that refuses to round (replaces the core int: same tag and kind). */
const SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [safeInt] });

/** The YAML format: one document, YAML 1.2 core schema, no custom tags, unique keys. */
export const yamlFormat: Format = {
  name: FORMAT,
  extensions: ['.yaml', '.yml'],
  parse(text: string, ctx: ParseContext): Parsed {
    checkDocumentSize(FORMAT, text, ctx);
    const limits = ctx.limits;
    checkAliasBudget(text, ctx);
    let doc: unknown;
    try {
      // js-yaml counts every node (scalars too) in its depth: allow one more for the leaves.
      doc = jsYaml.load(text, { schema: SCHEMA, maxDepth: limits.maxDepth + 1 } as jsYaml.LoadOptions);
    } catch (err) {
      throw parseError(FORMAT, ctx, yamlProblem(text, err, limits));
    }
    const positions = new LazyPositions(() => indexYaml(text, limits), 'nearest-ancestor');
    if (doc === undefined || doc === null) return { values: {}, positions };
    if (typeof doc !== 'object' || Array.isArray(doc) || doc instanceof UnsafeInteger) {
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
