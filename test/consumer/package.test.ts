/**
 * The published package, checked from the outside: what the tarball holds, publint and
 * arethetypeswrong on it, and the README's TypeScript type-checked against the installed
 * `.d.ts` by a strict NodeNext project and a strict bundler project. Static checks, the same on
 * every Node version, so `npm test` runs them once (runtime.test.ts runs on Node 20, 22 and 24).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsBlocks } from '../integration/doc-blocks.js';
import { PKG, type Packed, packAndInstall, removePacked, ROOT } from './packed.js';

let packed: Packed;
beforeAll(() => {
  packed = packAndInstall();
}, 120_000);
afterAll(() => removePacked(packed));

/** Every file an `exports` entry or the bin names, without the leading `./`. */
function namedFiles(): string[] {
  const targets = Object.values(PKG.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  return [...targets, ...Object.values(PKG.bin)].map((t) => t.replace(/^\.\//, ''));
}

describe('the tarball', () => {
  it('holds every file that exports and bin name', () => {
    expect(namedFiles().filter((f) => !packed.files.includes(f))).toEqual([]);
  });

  it('holds nothing from src/, tests, fixtures, benchmarks or examples: only dist/, package.json and README.md', () => {
    expect(packed.files.filter((f) => !/^dist\//.test(f) && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([]);
    expect(packed.files.filter((f) => /(\.test\.|\.test-d\.|__snapshots__|fixtures\/|(^|\/)test\/)/.test(f))).toEqual([]);
  });

  // Node prints the source line of an uncaught throw; a minified bundle made that one line of
  // 30 KB. Not code lines: data kept as one string (a generated JSON Schema, parsed on use; the
  // explorer's page, which the bundler turns into a call so that no `</script` appears as
  // written), a chunk's import or export list, and inlined third-party code as its authors wrote
  // it (js-yaml in the CLI), which sits under a `// node_modules/…` region comment.
  it('ships readable JavaScript: no line of our code longer than 500 characters', () => {
    const data = /^\s*(?:(?:"[^"]*"|[\w$]+):\s*)?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),?$|^const [\w$]+ = String\.raw\(/;
    const bindings = /^(?:import \{[^}]*\} from "[^"]+";|export \{[^}]*\};)$/;
    const lines = packed.files
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => {
        let thirdParty = false;
        return readFileSync(join(packed.project, 'node_modules/confstack', f), 'utf8')
          .split('\n')
          .map((text, i) => {
            if (/^\/\/ (?:src|node_modules)\//.test(text)) thirdParty = text.startsWith('// node_modules/');
            return { where: `${f}:${i + 1}`, text, thirdParty };
          });
      });
    expect(lines.length).toBeGreaterThan(1000);
    const long = lines.filter((l) => l.text.length > 500 && !l.thirdParty && !data.test(l.text) && !bindings.test(l.text));
    expect(long.map((l) => `${l.where} (${l.text.length})`)).toEqual([]);
  });

  // V8 keeps a source with one non-ASCII character as two bytes per character, slower to decode
  // and scan (scripts/build.mjs escapes strings and spells comments' typography in ASCII).
  it('ships ASCII-only JavaScript', () => {
    const js = packed.files.filter((f) => f.endsWith('.js'));
    const nonAscii = js.flatMap((f) =>
      readFileSync(join(packed.project, 'node_modules/confstack', f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${f}:${i + 1}`] : [])),
    );
    expect(js.length).toBeGreaterThan(10);
    expect(nonAscii).toEqual([]);
  });

  // A file of bindings only (an entry that re-exports a chunk's names) has no line to map.
  it('ships a source map with the sources inside for every JavaScript file that holds code', () => {
    const holdsCode = (f: string) =>
      readFileSync(join(packed.project, 'node_modules/confstack', f), 'utf8')
        .split('\n')
        .some((l) => l.trim() !== '' && !/^(?:import|export) |^\/\/|^#!/.test(l));
    const js = packed.files.filter((f) => f.endsWith('.js') && holdsCode(f));
    expect(js.length).toBeGreaterThan(10);
    expect(js.filter((f) => !packed.files.includes(`${f}.map`))).toEqual([]);
    const incomplete = js.filter((f) => {
      const map = JSON.parse(readFileSync(join(packed.project, 'node_modules/confstack', `${f}.map`), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((c) => typeof c !== 'string');
    });
    expect(incomplete).toEqual([]);
  });
});

describe('package linters', () => {
  it('publint finds no problem, warnings and suggestions included', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/publint/src/cli.js'), join(packed.project, 'node_modules/confstack'), '--pack', 'false', '--strict', '--level', 'suggestion'], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toContain('All good!');
    expect(r.status).toBe(0);
  });

  // ESM-only package: the profile leaves out node10 (no `exports` support) and TypeScript's
  // node16-from-CJS mode, which types require(esm) as "dynamic import only"; runtime.test.ts
  // checks that require('confstack') works on the Node versions that have require(esm).
  it('arethetypeswrong finds no problem (esm-only profile)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), packed.tarball, '--profile', 'esm-only', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const report = JSON.parse(r.stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems.filter((p) => !isIgnoredByEsmOnly(p))).toEqual([]);
    expect(r.status).toBe(0);
  });
});

/** The resolution modes the esm-only profile leaves out. */
function isIgnoredByEsmOnly(problem: unknown): boolean {
  const kind = (problem as { resolutionKind?: string }).resolutionKind;
  return kind === 'node10' || kind === 'node16-cjs';
}

const STRICT: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  noEmit: true,
  // So that confstack's own declarations are checked too (only those are asked for, below).
  skipLibCheck: false,
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules/@types')],
};

describe.each([
  { name: 'NodeNext', options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext } },
  { name: 'bundler', options: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler } },
])('a strict TypeScript project with moduleResolution $name', ({ options }) => {
  it("type-checks every TypeScript block of README.md against the installed package's .d.ts", () => {
    const blocks = tsBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThan(0);
    const files = blocks.map((b) => {
      const file = join(packed.project, `readme-block-${b.index + 1}-line-${b.line}.ts`);
      writeFileSync(file, `${b.code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, { ...STRICT, ...options });
    const installed = join(packed.project, 'node_modules', 'confstack');
    // Resolved from the installed package, not from this repository.
    expect(program.getSourceFiles().some((f) => f.fileName === join(installed, 'dist/index.d.ts'))).toBe(true);
    // The blocks and confstack's own declarations: other packages' are not ours to check (and slow).
    const ours = program.getSourceFiles().filter((f) => files.includes(f.fileName) || f.fileName.startsWith(installed));
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    const errors = diagnostics
      .map((d) => {
        const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file || d.start === undefined) return msg;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${relative(packed.project, d.file.fileName)}:${line + 1}:${character + 1} ${msg}`;
      });
    expect(errors).toEqual([]);
  });
});
