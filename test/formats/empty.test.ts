/** Empty documents read the same in every format (issue 14): zero bytes, whitespace, comments. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { fileProvider } from '../../src/providers/file.js';
import { loadConfig } from '../../src/core/load.js';
import { tempDir } from '../support/temp.js';

const EMPTY: Record<string, string> = { 'zero bytes': '', whitespace: ' \n\t\r\n  \n' };
const COMMENTS: Record<string, string> = { yaml: '# nothing yet\n  # still nothing\n', toml: '# nothing yet\n', env: '# nothing yet\n\n' };

async function load(ext: string, body: string): Promise<unknown> {
  const dir = tempDir({ [`config.${ext}`]: body });
  const config = await loadConfig({ sources: [fileProvider({ path: join(dir, `config.${ext}`) })], schema: false });
  return config.value;
}

describe('empty files', () => {
  for (const ext of ['yaml', 'json', 'toml', 'env']) {
    for (const [what, body] of Object.entries(EMPTY)) {
      it(`a ${what} .${ext} file is an empty layer`, async () => {
        expect(await load(ext, body)).toEqual({});
      });
    }
  }

  for (const [ext, body] of Object.entries(COMMENTS)) {
    it(`a .${ext} file of comments only is an empty layer`, async () => {
      expect(await load(ext, body)).toEqual({});
    });
  }

  it('JSON has no comments: a .json file of "comments" is a located syntax error, not an empty layer', async () => {
    const err = await load('json', '// nothing\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('parse_failed');
    expect((err as ConfigError).location).toMatchObject({ line: 1, column: 1 });
  });

  it('a form feed is not whitespace here: such a .json file is refused (JSON does not allow it)', async () => {
    const err = await load('json', '\f').catch((e: unknown) => e);
    expect((err as ConfigError).code).toBe('parse_failed');
  });
});
