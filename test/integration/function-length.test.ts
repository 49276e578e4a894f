/**
 * No function in src/ longer than 60 lines unless its comment says why (issue 16: a reader holds
 * a function in the head at once; past a screen, it should be parts with names). Read with the
 * TypeScript compiler: every function-like node (declarations, methods, constructors, accessors,
 * function expressions and arrows) counts on its own, from its first line to its last, nested
 * functions included, since that is what a reader scrolls through. A function may be longer when
 * the JSDoc or line comments just above it hold `Long because:` and the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceModules } from '../support/import-graph.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const MAX_LINES = 60;
const REASON = /Long because:\s*\w/;

interface LongFunction {
  where: string;
  name: string;
  lines: number;
}

/** The function-like nodes of one source text longer than MAX_LINES and not explained. */
export function longFunctions(fileName: string, text: string): LongFunction[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = lineOf(node.getStart(sf));
      const lines = lineOf(node.getEnd()) - start + 1;
      if (lines > MAX_LINES && !explained(node, sf)) {
        found.push({ where: `${fileName}:${start + 1}`, name: nameOf(node, sf), lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** A reason on the function, or on a function around it (its body: a describe block's callback). */
function explained(node: ts.Node, sf: ts.SourceFile): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isFunctionLike(n) && REASON.test(leadingComments(n, sf))) return true;
  }
  return false;
}

/** The comments just above a function, or above the statement or property that holds it. */
function leadingComments(node: ts.Node, sf: ts.SourceFile): string {
  let holder: ts.Node = node;
  while (
    holder.parent &&
    (ts.isVariableDeclaration(holder.parent) ||
      ts.isVariableDeclarationList(holder.parent) ||
      ts.isVariableStatement(holder.parent) ||
      ts.isPropertyAssignment(holder.parent) ||
      ts.isPropertyDeclaration(holder.parent) ||
      ts.isExportAssignment(holder.parent) ||
      ts.isCallExpression(holder.parent))
  ) {
    holder = holder.parent;
  }
  const text = sf.getFullText();
  return [node, holder].map((n) => (ts.getLeadingCommentRanges(text, n.getFullStart()) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n')).join('\n');
}

function nameOf(node: ts.SignatureDeclaration, sf: ts.SourceFile): string {
  if (node.name) return node.name.getText(sf);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

describe('function length', () => {
  it(`finds no function in src/ over ${MAX_LINES} lines without a reason ("Long because:")`, () => {
    const offenders = sourceModules(SRC).flatMap((m) => longFunctions(m, readFileSync(join(SRC, m), 'utf8')));
    expect(offenders.map((o) => `${o.where} ${o.name} (${o.lines} lines)`)).toEqual([]);
  });

  it('catches a 61-line function, and accepts one whose comment gives the reason', () => {
    const body = Array.from({ length: MAX_LINES - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const long = `export function tooLong(): void {\n${body}\n}\n`;
    expect(longFunctions('a.ts', long)).toEqual([]); // exactly MAX_LINES
    const longer = `export function tooLong(): void {\n${body}\n  const extra = 1;\n}\n`;
    expect(longFunctions('a.ts', longer)).toEqual([{ where: 'a.ts:1', name: 'tooLong', lines: MAX_LINES + 1 }]);
    expect(longFunctions('a.ts', `/** Long because: one state machine. */\n${longer}`)).toEqual([]);
    expect(longFunctions('a.ts', `// Long because: one state machine.\nconst f = () => {\n${body}\n  const extra = 1;\n};\n`)).toEqual([]);
    expect(longFunctions('a.ts', `class C {\n  method(): void {\n${body}\n  const extra = 1;\n  }\n}\n`)).toEqual([{ where: 'a.ts:2', name: 'method', lines: MAX_LINES + 1 }]);
    expect(longFunctions('a.ts', `/** Long because: */\n${longer}`).map((f) => f.name)).toEqual(['tooLong']);
    // A reason on the enclosing function covers the callback that makes up its body.
    const suite = `/** Long because: a suite. */\nexport function suite(): void {\n  describe('x', () => {\n${body}\n  const extra = 1;\n  });\n}\n`;
    expect(longFunctions('a.ts', suite)).toEqual([]);
    expect(longFunctions('a.ts', suite.replace('/** Long because: a suite. */\n', '')).map((f) => f.name)).toEqual(['suite', '(anonymous)']);
  });
});

