/**
 * The import graph of a source tree, read with the TypeScript compiler (its parser finds every
 * import form; its resolver maps specifiers to files), and the two checks the architecture test
 * makes on it: cycles, and imports that point to a higher layer. Pure functions over the graph,
 * so the checks are unit-tested on synthetic graphs and small fixture trees.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** How one module names another. Every kind is a dependency; the kind is only for messages. */
export type ImportKind = 'import' | 'import type' | 'export from' | 'export type from' | 'inline import() type' | 'dynamic import()' | 'require()';

/**
 * One import. `from` is a module of the tree; `to` is one too (paths relative to the tree's root,
 * with `/`), or, when `external`, the package a bare specifier names (`etcd3`, `@scope/pkg`).
 */
export interface ImportEdge {
  from: string;
  to: string;
  external: boolean;
  specifier: string;
  kind: ImportKind;
  /** 1-based position of the specifier in `from`. */
  line: number;
  column: number;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowJs: false,
};

const toPosix = (p: string): string => p.split(sep).join('/');

/** Every module of the tree at `root` (`.ts`, declaration files excluded), relative, with `/`. */
export function sourceModules(root: string): string[] {
  return sourceFiles(root).map((f) => toPosix(relative(root, f)));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The module specifiers a source file names, with how it names them. */
function specifiersOf(source: ts.SourceFile): { node: ts.StringLiteralLike; kind: ImportKind }[] {
  const out: { node: ts.StringLiteralLike; kind: ImportKind }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier)) {
      // Only `import type` is erased: under verbatimModuleSyntax `import { type A }` stays as `import {}`.
      out.push({ node: node.moduleSpecifier, kind: node.importClause?.isTypeOnly ? 'import type' : 'import' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
      out.push({ node: node.moduleSpecifier, kind: node.isTypeOnly ? 'export type from' : 'export from' });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteralLike(arg.literal)) out.push({ node: arg.literal, kind: 'inline import() type' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ node: arg, kind: 'dynamic import()' });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      // createRequire(import.meta.url) then require('pkg'): a dependency all the same.
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ node: arg, kind: 'require()' });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteralLike(node.moduleReference.expression)
    ) {
      out.push({ node: node.moduleReference.expression, kind: node.isTypeOnly ? 'import type' : 'import' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`, `node:fs` -> `node:fs`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Every import of every module of the tree at `root`. A relative specifier is resolved the way
 * `tsc` resolves it (NodeNext: `./x.js` names `./x.ts`); one that resolves to nothing is an edge
 * to the missing path, so a typo cannot hide an import. A bare specifier is an external edge to
 * its package. Imports of files outside the tree are left out.
 */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const host = ts.sys;
  for (const file of sourceFiles(root)) {
    const text = host.readFile(file) ?? '';
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const { node, kind } of specifiersOf(source)) {
      const specifier = node.text;
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      const at = { from: toPosix(relative(root, file)), specifier, kind, line: line + 1, column: character + 1 };
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
        edges.push({ ...at, to: packageName(specifier), external: true });
        continue;
      }
      const resolved = ts.resolveModuleName(specifier, file, COMPILER_OPTIONS, host).resolvedModule;
      const to = toPosix(relative(root, resolved?.resolvedFileName ?? join(file, '..', specifier)));
      if (!to.startsWith('..')) edges.push({ ...at, to, external: false });
    }
  }
  return edges;
}

/** The import kinds that load a module when the importer loads (no types, no lazy `import()`). */
export const EAGER_KINDS: ReadonlySet<ImportKind> = new Set(['import', 'export from', 'require()']);

/**
 * Every module reachable from `start` over edges of `kinds`, each with a shortest chain of edges
 * that reaches it (breadth-first); `start` itself with an empty chain. External packages are
 * reached too, under their package name.
 */
export function reachable(edges: readonly ImportEdge[], start: string, kinds: ReadonlySet<ImportKind>): Map<string, ImportEdge[]> {
  const chains = new Map<string, ImportEdge[]>([[start, []]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const e of edges) {
      if (e.from !== at || !kinds.has(e.kind) || chains.has(e.to)) continue;
      chains.set(e.to, [...chains.get(at)!, e]);
      if (!e.external) queue.push(e.to);
    }
  }
  return chains;
}

/** `tree/merge.ts:18:1` */
export const edgeLocation = (e: ImportEdge): string => `${e.from}:${e.line}:${e.column}`;

/**
 * Every import cycle, one per strongly connected component (Tarjan), each given as the edges of
 * one concrete loop through the component: enough to name the problem, and fixing it re-runs the
 * check for what is left.
 */
export function findCycles(edges: readonly ImportEdge[]): ImportEdge[][] {
  const out = new Map<string, ImportEdge[]>();
  for (const e of edges) {
    if (e.external) continue;
    const list = out.get(e.from);
    if (list) list.push(e);
    else out.set(e.from, [e]);
    if (!out.has(e.to)) out.set(e.to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const strongConnect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const e of out.get(v) ?? []) {
      if (!index.has(e.to)) {
        strongConnect(e.to);
        low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      } else if (onStack.has(e.to)) {
        low.set(v, Math.min(low.get(v)!, index.get(e.to)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...out.keys()].sort()) if (!index.has(v)) strongConnect(v);

  const cycles: ImportEdge[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const selfLoop = (out.get(start) ?? []).find((e) => e.to === start);
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(selfLoop ? [selfLoop] : loopThrough(start, members, out));
  }
  return cycles;
}

/** A shortest path of edges from `start` back to `start` inside `members` (breadth-first). */
function loopThrough(start: string, members: ReadonlySet<string>, out: ReadonlyMap<string, ImportEdge[]>): ImportEdge[] {
  const via = new Map<string, ImportEdge>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const e of out.get(queue[i]!) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        for (let at = e.from; at !== start; at = via.get(at)!.from) path.unshift(via.get(at)!);
        return path;
      }
      if (!via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  throw new Error(`no loop through ${start}: not a strongly connected component`);
}

/** `errors.ts → tree/origins.ts (errors.ts:61:19 inline import() type) → errors.ts (tree/origins.ts:49:…)` */
export function describeCycle(cycle: readonly ImportEdge[]): string {
  return [cycle[0]!.from, ...cycle.map((e) => `${e.to}  (${edgeLocation(e)} ${e.kind} '${e.specifier}')`)].join('\n    → ');
}

/** One layer: a name and the modules in it (a folder ends with `/`, a file is named whole). */
export interface Layer {
  name: string;
  modules: readonly string[];
}

/** The layer a module belongs to (its index in `layers`, lowest first), or -1 if none claims it. */
export function layerOf(layers: readonly Layer[], module: string): number {
  return layers.findIndex((l) => l.modules.some((m) => (m.endsWith('/') ? module.startsWith(m) : module === m)));
}

/** An import that points above its own layer, or that touches a module no layer claims. */
export interface LayerViolation {
  edge: ImportEdge;
  message: string;
}

/**
 * Checks every edge against the layer order (lowest first): a module may import its own layer and
 * any lower one, never a higher one. Modules in no layer are reported too, so a new folder must be
 * placed in the table before it can pass.
 */
export function upwardImports(edges: readonly ImportEdge[], layers: readonly Layer[]): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const e of edges) {
    if (e.external) continue;
    const from = layerOf(layers, e.from);
    const to = layerOf(layers, e.to);
    const where = `${edgeLocation(e)} ${e.kind} '${e.specifier}'`;
    if (from === -1 || to === -1) {
      violations.push({ edge: e, message: `${where}: ${from === -1 ? e.from : e.to} is in no layer; add it to the layer table` });
    } else if (to > from) {
      violations.push({
        edge: e,
        message: `${where}: layer "${layers[from]!.name}" imports ${e.to} from the higher layer "${layers[to]!.name}"`,
      });
    }
  }
  return violations;
}
