/**
 * Building the ConfigErrors format parsers throw. One place, so every parse failure carries the
 * same fields (op `parse`, format, provider, file:line:col) and a message made only of our own
 * words: parser messages and source excerpts may hold secrets (RELIABILITY P20) and never pass.
 */
import { ConfigError, type ErrorCode } from '../foundation/errors.js';
import type { Position } from '../tree/origins.js';
import type { ParseContext } from './format.js';

/** What a parser found wrong, before it becomes a ConfigError. */
export interface ParseProblem {
  code: ErrorCode;
  /** Short, fixed wording ("unterminated string"); never source text. */
  detail: string;
  position?: Position | undefined;
  /** Canonical key path the problem concerns, when known. */
  key?: string | undefined;
  context?: Record<string, unknown>;
}

/** The ConfigError for a problem in `ctx.source`. */
export function parseError(format: string, ctx: ParseContext, problem: ParseProblem): ConfigError {
  const location: { file: string; line?: number; column?: number; key?: string } = { file: ctx.source };
  if (problem.position !== undefined) {
    location.line = problem.position.line;
    location.column = problem.position.column;
  }
  if (problem.key !== undefined && problem.key !== '') location.key = problem.key;
  return new ConfigError({
    op: 'parse',
    code: problem.code,
    message: problem.detail,
    format,
    location,
    ...(ctx.provider !== undefined ? { provider: ctx.provider } : {}),
    ...(problem.context !== undefined ? { context: problem.context } : {}),
  });
}

/** `limit_exceeded` for a document longer than `maxDocumentBytes`, checked before any parsing. */
export function checkDocumentSize(format: string, text: string, ctx: ParseContext): void {
  const max = ctx.limits.maxDocumentBytes;
  // Characters are a lower bound on UTF-8 bytes; count bytes only when it could matter.
  if (text.length > max || (text.length * 3 > max && Buffer.byteLength(text, 'utf8') > max)) {
    throw parseError(format, ctx, {
      code: 'limit_exceeded',
      detail: `document is larger than maxDocumentBytes (${max})`,
      context: { limit: 'maxDocumentBytes', max },
    });
  }
}

/** True when a string is longer than `max` UTF-8 bytes (cheap for short strings). */
export function exceedsBytes(s: string, max: number): boolean {
  return s.length > max || (s.length * 3 > max && Buffer.byteLength(s, 'utf8') > max);
}
