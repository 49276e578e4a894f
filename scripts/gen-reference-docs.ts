/**
 * Generates the configuration references in docs/reference/ with the CLI's own `docs` command
 * (in-process, so the files are exactly what `confstack docs` prints): the built-in framework
 * schema, and each example project's schema. test/cli/docs.test.ts fails when they are stale.
 * Usage: `npx tsx scripts/gen-reference-docs.ts` (write) or `… --check` (exit 1 when stale).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/run.js';
import { writeOrCheck } from './generated-file.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each golden file and the `confstack` arguments that print it (run from the repository root). */
export const REFERENCE_DOCS: readonly { file: string; args: string[] }[] = [
  { file: 'docs/reference/framework.md', args: ['docs'] },
  { file: 'docs/reference/framework.env.example', args: ['docs', '--env'] },
  { file: 'docs/reference/typed-service.md', args: ['docs', '--project', 'examples/typed-service/confstack.config.ts'] },
  { file: 'docs/reference/typed-service.env.example', args: ['docs', '--env', '--project', 'examples/typed-service/confstack.config.ts'] },
];

/** What `confstack <args>` prints on stdout; throws if it fails. Needs the cwd to be the repository root. */
export async function renderReference(args: readonly string[]): Promise<string> {
  let out = '';
  let err = '';
  const { code } = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  if (code !== 0) throw new Error(`confstack ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.chdir(ROOT);
  let stale = 0;
  for (const { file, args } of REFERENCE_DOCS) {
    if (!writeOrCheck(join(ROOT, file), await renderReference(args), file, 'npx tsx scripts/gen-reference-docs.ts')) stale++;
  }
  process.exit(stale > 0 ? 1 : 0);
}
