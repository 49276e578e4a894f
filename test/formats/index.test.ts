import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, formatForPath, isFormatName, loadFormat } from '../../src/formats/index.js';
import type { FormatName } from '../../src/formats/format.js';
import { DEFAULT_LIMITS } from '../../src/tree/limits.js';

describe('formatForPath', () => {
  it.each([
    ['config.yaml', 'yaml'],
    ['dir/config.YML', 'yaml'],
    ['C:\\cfg\\app.json', 'json'],
    ['app.prod.toml', 'toml'],
    ['secrets.env', 'env'],
    ['.env', 'env'],
    ['/srv/app/.env', 'env'],
    ['config.ini', undefined],
    ['README', undefined],
    ['.yaml', undefined],
    ['config.toString', undefined],
    ['config.__proto__', undefined],
  ])('%s → %s', (path, expected) => {
    expect(formatForPath(path)).toBe(expected);
  });
});

describe('loadFormat', () => {
  it.each(FORMAT_NAMES.map((n) => [n]))('loads %s, whose extensions map back to it', async (name) => {
    const format = await loadFormat(name);
    expect(format.name).toBe(name);
    for (const ext of format.extensions) expect(formatForPath(`x${ext}`)).toBe(name);
    const minimal: Record<FormatName, string> = { yaml: 'a: 1', json: '{"a": 1}', toml: 'a = 1', env: 'a=1' };
    const expected = name === 'env' ? '1' : 1;
    expect(format.parse(minimal[name], { source: 'x', limits: DEFAULT_LIMITS }).values).toEqual({ a: expected });
  });

  it('an unknown name is unsupported_format', async () => {
    await expect(loadFormat('ini' as FormatName)).rejects.toMatchObject({ code: 'unsupported_format' });
    expect(isFormatName('ini')).toBe(false);
    expect(isFormatName('yaml')).toBe(true);
  });
});
