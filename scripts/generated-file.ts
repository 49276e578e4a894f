/**
 * What every generator script does with its output: write it, or with `--check` compare it with
 * the committed file and say how to regenerate it when they differ. One copy for the generators
 * of docs/errors.md, docs/reference/ and the framework's generated checker.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `file` (creating its folder), or, when the process was given `--check`,
 * returns false and prints a line naming `file` and `regenerate` if the committed file differs.
 */
export function writeOrCheck(file: string, text: string, label: string, regenerate: string): boolean {
  if (!process.argv.includes('--check')) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return true;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current === text) return true;
  process.stderr.write(`${label} is stale: run ${regenerate}\n`);
  return false;
}
