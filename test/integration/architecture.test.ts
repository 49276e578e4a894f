/**
 * The layering rules of STYLE.md 3.1, checked over the source text so they cannot rot:
 * tree/, formats/, errors.ts and secrets.ts import nothing of ours above them; only
 * etcd/client.ts imports etcd3; only the framework preset's zod schema files import zod; no bare Error throws in src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Import {
  from: string;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    out.push({ from: relative(SRC, file), target: m[2]!, typeOnly: Boolean(m[1]) });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ from: relative(SRC, file), target: m[1]!, typeOnly: false });
  return out;
}

function resolveLocal(imp: Import): string | undefined {
  if (!imp.target.startsWith('.')) return undefined;
  return relative(SRC, join(SRC, imp.from, '..', imp.target)).replace(/\.js$/, '.ts');
}

const all = files(SRC).flatMap(importsOf);
const inner = (path: string) => path.startsWith('tree/') || path.startsWith('formats/') || path === 'errors.ts' || path === 'secrets.ts';

/** The framework preset files a default load imports: zod must stay out of them (its import costs ~50 ms). */
const ZOD_FREE = ['presets/framework/api.ts', 'presets/framework/preset.ts', 'presets/framework/snapshot.ts', 'presets/framework/check.generated.ts', 'presets/framework/cross-fields.ts', 'presets/framework/defaults.ts'];

describe('source layering', () => {
  it('keeps tree/, formats/, errors.ts and secrets.ts free of value imports from outer layers', () => {
    const bad = all
      .filter((i) => inner(i.from) && !i.typeOnly)
      .map((i) => ({ ...i, local: resolveLocal(i) }))
      .filter((i) => i.local !== undefined && !inner(i.local));
    expect(bad).toEqual([]);
  });

  it('imports etcd3 only in etcd/client.ts, zod only in presets/framework/ (not its zod-free preset files), OTel SDKs nowhere', () => {
    const offenders = all.filter(
      (i) =>
        (i.target === 'etcd3' && i.from !== 'etcd/client.ts') ||
        (i.target === 'zod' && (!i.from.startsWith('presets/framework/') || ZOD_FREE.includes(i.from))) ||
        (i.target.startsWith('@opentelemetry/sdk') && !i.from.startsWith('testing/')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the core free of the framework preset: only index.ts and cli/ import presets/ (type-only imports included)', () => {
    const offenders = all
      .map((i) => ({ ...i, local: resolveLocal(i) }))
      .filter((i) => i.local?.startsWith('presets/') && !i.from.startsWith('presets/') && i.from !== 'index.ts' && !i.from.startsWith('cli/'));
    expect(offenders).toEqual([]);
  });

  it('has testing/ use the core only through the public entry', () => {
    const offenders = all
      .filter((i) => i.from.startsWith('testing/') && !i.typeOnly)
      .map((i) => ({ ...i, local: resolveLocal(i) }))
      .filter((i) => i.local !== undefined && !i.local.startsWith('testing/') && i.local !== 'index.ts');
    expect(offenders).toEqual([]);
  });

  it('throws no bare Error/TypeError/RangeError from src/ outside errors.ts and testing/', () => {
    const offenders = files(SRC)
      .filter((f) => !f.endsWith('errors.ts') && !relative(SRC, f).startsWith('testing/'))
      .filter((f) => /new (Type|Range|Syntax)?Error\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
