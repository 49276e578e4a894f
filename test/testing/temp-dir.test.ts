import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from 'confstack';
import { tempConfigDir } from 'confstack/testing';

describe('tempConfigDir', () => {
  it('writes files (with sub-folders) under os.tmpdir() and removes them on cleanup', async () => {
    const tmp = await tempConfigDir({ 'config/config.yaml': 'server:\n  port: 8080\n', 'a.json': '{}' });
    expect(tmp.dir.startsWith(tmpdir())).toBe(true);
    expect(readFileSync(tmp.path('config/config.yaml'), 'utf8')).toContain('port: 8080');
    await tmp.write('b/c.toml', 'x = 1\n');
    expect(existsSync(tmp.path('b/c.toml'))).toBe(true);
    await tmp.cleanup();
    await tmp.cleanup();
    expect(existsSync(tmp.dir)).toBe(false);
  });

  it('is disposable with await using', async () => {
    let dir = '';
    {
      await using tmp = await tempConfigDir({ 'x.yaml': 'a: 1\n' });
      dir = tmp.dir;
      expect(existsSync(dir)).toBe(true);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('feeds loadConfig', async () => {
    await using tmp = await tempConfigDir({ 'config/config.yaml': 'server:\n  port: 8080\n' });
    const config = await loadConfig({ configPaths: [tmp.path('config')], schema: false, env: {} });
    expect(config.get('server.port')).toBe(8080);
    expect(config.explain('server.port')).toMatchObject({ location: tmp.path('config/config.yaml'), line: 2 });
  });

  it.each([['../escape.yaml'], ['/etc/passwd'], ['a/../../b']])('rejects %s with invalid_parameters', async (name) => {
    await expect(tempConfigDir({ [name]: 'x' })).rejects.toMatchObject({ code: 'invalid_parameters' });
  });
});
