/**
 * Shared by readme.test.ts, examples.test.ts and the consumer tests: extract a Markdown file's
 * TypeScript blocks, type-check TypeScript files with the compiler API (the project's strict
 * options) and run them with tsx from the repository root.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One ```ts block of a Markdown file; `run` is false for blocks marked `no-run`. */
export interface Block {
  index: number;
  line: number;
  code: string;
  run: boolean;
}

/** The ```ts blocks of a Markdown text, in order, with the line each starts on. */
export function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```ts([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    blocks.push({ index: blocks.length, line, code: m[2]!, run: !/\bno-run\b/.test(m[1]!) });
  }
  return blocks;
}

/** Type errors of `files`, as `file:line:col message` strings (empty when clean). */
export function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1} ${msg}`;
  });
}

/** Runs a .ts file with tsx, cwd = repository root. */
export function runTs(file: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A scratch ESM package outside the repo whose node_modules link back to confstack and its
 * dependencies, so `import 'confstack'` resolves to the built package as it would for a user.
 */
export function scratchPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'confstack-docs-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'confstack'), 'dir');
  for (const dep of ['zod', '@opentelemetry', 'yaml', '@types']) {
    const target = join(ROOT, 'node_modules', dep);
    symlinkSync(target, join(dir, 'node_modules', dep), 'dir');
  }
  return dir;
}
