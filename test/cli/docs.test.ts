/**
 * `confstack docs` / `docs --env` / `schema` in-process: the golden references in docs/reference/
 * are current (regenerate with `npx tsx scripts/gen-reference-docs.ts`), every variable they list
 * really sets its key, and a schema without a JSON Schema degrades with a note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DOCS, renderReference } from '../../scripts/gen-reference-docs.js';
import { activeSchema } from '../../src/cli/context.js';
import { loadProjectFile } from '../../src/cli/project.js';
import { runCli } from '../../src/cli/run.js';
import { envProvider } from '../../src/providers/env.js';
import { withEnv } from '../../src/testing/env.js';
import type { StandardSchemaV1 } from '../../src/foundation/standard-schema.js';
import { schemaTypeAt } from '../../src/core/validate.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const { code } = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('docs/reference (golden files)', () => {
  it.each(REFERENCE_DOCS.map((d) => [d.file, d.args] as const))('%s is what `confstack %s` prints', async (file, args) => {
    expect(await renderReference(args)).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });
});

/** A value of the documented type, as an env string. */
function sample(type: string): string {
  if (type.startsWith('"')) return JSON.parse(type.split(' | ')[0]!) as string;
  if (type.startsWith('integer')) return '7';
  if (type.startsWith('number')) return '0.5';
  if (type.startsWith('boolean')) return 'true';
  if (type.startsWith('list')) return '["a"]';
  if (type.startsWith('object') || type.startsWith('map')) return '{"k":1}';
  return 'x';
}

/** Rows of a reference table: key pattern, type, env variable. */
function rows(markdown: string): { key: string; type: string; env: string }[] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')))
    .filter((c) => c[6] !== '')
    .map((c) => ({ key: c[1]!.replace(/`/g, ''), type: c[2]!, env: c[6]!.replace(/`/g, '') }));
}

describe('every variable a reference lists sets its key', () => {
  const cases: [string, string, () => Promise<StandardSchemaV1>, string][] = [
    ['framework', 'docs/reference/framework.md', async () => activeSchema(undefined) as StandardSchemaV1, 'CONFSTACK'],
    ['typed-service', 'docs/reference/typed-service.md', async () => (await loadProjectFile(join(ROOT, 'examples/typed-service/confstack.config.ts'))).options.schema as StandardSchemaV1, 'SHOP'],
  ];
  it.each(cases)('%s', async (_name, file, schemaOf, prefix) => {
    const schema = await schemaOf();
    const typeAt = await schemaTypeAt(schema);
    const listed = rows(readFileSync(join(ROOT, file), 'utf8'));
    expect(listed.length).toBeGreaterThan(5);
    for (const { key, type, env } of listed) {
      expect(env.startsWith(`${prefix}_`)).toBe(true);
      // `<NAME>` selects a new list item (index 0 of an empty list); `<KEY>` is a record key.
      const name = env.replace(/<NAME>/g, 'DEMO').replace(/<KEY>/g, 'DEMO_KEY');
      const body = env.slice(prefix.length + 1).split('__');
      const path = key.split('.').map((s, i) => (s !== '*' ? s : body[i] === '<KEY>' ? 'demo_key' : '0')).join('.');
      const layer = await envProvider({ prefix, env: { [name]: sample(type) } }).load({ lower: {}, ...(typeAt ? { typeAt } : {}) });
      expect(layer.origins?.[path]?.location, `${name} -> ${path}`).toBe(name);
    }
  });
});

describe('a schema without a JSON Schema', () => {
  const project = join(ROOT, 'test/fixtures/projects/no-json-schema/confstack.config.mjs');

  it('docs prints a page that says why there is no table (exit 0)', async () => {
    const r = await cli(['docs', '--project', project]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Configuration reference\n\n> The active schema \(valibot\) offers no JSON Schema/);
    expect(r.err).toMatch(/note: the schema offers no JSON Schema/);
    const env = await cli(['docs', '--env', '--project', project]);
    expect(env.code).toBe(0);
    expect(env.out).toMatch(/^# The active schema \(valibot\) offers no JSON Schema/);
  });

  it('schema exits 1 with invalid_config and a hint', async () => {
    const r = await cli(['schema', '--json', '--project', project]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toMatchObject({ error: { code: 'invalid_config', message: expect.stringMatching(/offers no JSON Schema .*to-json-schema/) } });
  });

  it('validate still validates, and notes that env variables were not checked', async () => {
    const r = await cli(['validate', '--project', project]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const noted = await withEnv({ NOJS_SERVER__HOST: 'example.test' }, () => cli(['validate', '--strict', '--project', project]));
    expect(noted.code).toBe(0);
    expect(noted.err).toMatch(/warning: the schema offers no JSON Schema .*not checked .*\[env_unchecked\]/);
  });
});
