/**
 * README.md cannot rot: every ```ts block is type-checked against the built package, and every
 * block not marked `no-run` runs (cwd = repository root, so paths like examples/config work).
 * Also: the two commands stay at the top, and docs/errors.md matches ErrorCode.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../scripts/gen-error-docs.js';
import { type Block, ROOT, runTs, scratchPackage, tsBlocks, typeErrors } from './doc-blocks.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = tsBlocks(readme);
let dir: string;
const fileOf = (b: Block) => join(dir, `readme-block-${b.index + 1}-line-${b.line}.ts`);

beforeAll(() => {
  dir = scratchPackage();
  for (const b of blocks) writeFileSync(fileOf(b), `${b.code}\nexport {};\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README.md', () => {
  it('starts with the two commands', () => {
    const top = readme.split('\n').slice(0, 10).join('\n');
    expect(top).toMatch(/^npm ci && npm run demo\b/m);
    expect(top).toMatch(/^npm ci && npm test\b/m);
  });

  it('has TypeScript blocks, most of them runnable', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.filter((b) => b.run).length).toBeGreaterThanOrEqual(5);
  });

  it('type-checks every ts block against the built package', () => {
    expect(typeErrors(blocks.map(fileOf))).toEqual([]);
  });

  it.each(blocks.filter((b) => b.run).map((b) => [b.line, b] as const))('runs the block at line %i', (_line, b) => {
    const r = runTs(fileOf(b));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('docs/errors.md', () => {
  it('is generated from ErrorCode (run npx tsx scripts/gen-error-docs.ts)', () => {
    expect(readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')).toBe(renderErrorDocs());
  });
});
