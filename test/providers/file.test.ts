/**
 * fileProvider's search and profile rules and its input errors (how bytes are read is in file-io.test.ts).
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/formats/json.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { fileProvider, type FileProviderOptions } from '../../src/providers/file.js';
import { expectConfigError } from '../support/errors.js';
import { tempDir } from '../support/temp.js';

const load = (options: FileProviderOptions, limits?: { maxDocumentBytes: number }) =>
  loadConfig({ schema: false, env: {}, sources: [fileProvider(options)], ...(limits ? { limits } : {}) });

describe('fileProvider: one path', () => {
  it('loads the file and explains values with file:line:col', async () => {
    const dir = tempDir({ 'app.yaml': 'server:\n  port: 8080\n' });
    const path = join(dir, 'app.yaml');
    const config = await load({ path });
    expect(config.value).toEqual({ server: { port: 8080 } });
    expect(config.explain('server.port')).toEqual({ provider: `file:${path}`, type: 'file', location: path, line: 2, column: 3 });
    expect(config.sources()).toEqual([{ name: `file:${path}`, type: 'file', status: 'loaded' }]);
  });

  it('a missing required file is file_not_found with its path', async () => {
    const path = join(tempDir(), 'absent.yaml');
    const err = await expectConfigError(load({ path }), { code: 'file_not_found', file: path });
    expect(err.context?.searched).toEqual([path]);
  });

  it('optional: a missing file is an empty layer, reported empty', async () => {
    const path = join(tempDir(), 'absent.yaml');
    const config = await load({ path, optional: true });
    expect(config.value).toEqual({});
    expect(config.sources()[0]?.status).toBe('empty');
  });

  it('optional does not hide a directory where the file should be', async () => {
    const dir = tempDir({ 'config.yaml/inner': 'x' });
    await expectConfigError(load({ path: join(dir, 'config.yaml'), optional: true }), { code: 'file_access_error' });
  });

  it('an unreadable file is file_access_error (as root, which reads it anyway, it loads)', async () => {
    const dir = tempDir({ 'locked.yaml': 'a: 1\n' });
    const path = join(dir, 'locked.yaml');
    chmodSync(path, 0o000);
    let readable = true;
    try {
      readFileSync(path);
    } catch {
      readable = false;
    }
    if (process.getuid?.() === 0 && readable) {
      expect((await load({ path })).value).toEqual({ a: 1 });
    } else {
      const err = await expectConfigError(load({ path }), { code: 'file_access_error', file: path });
      expect(err.context?.reason).toBe('permission');
    }
  });

  it('an unknown extension is unsupported_format; `format` overrides the extension', async () => {
    const dir = tempDir({ 'app.conf': 'a = 1\n', 'app.txt': 'a: 2\n', 'data.yaml': '{"a": 3}' });
    await expectConfigError(load({ path: join(dir, 'app.txt') }), { code: 'unsupported_format', file: join(dir, 'app.txt') });
    expect((await load({ path: join(dir, 'app.conf'), format: 'toml' })).value).toEqual({ a: 1 });
    expect((await load({ path: join(dir, 'app.txt'), format: 'yaml' })).value).toEqual({ a: 2 });
    expect((await load({ path: join(dir, 'data.yaml'), format: jsonFormat })).value).toEqual({ a: 3 });
    expect((await load({ path: join(dir, 'data.yaml'), format: 'auto' })).value).toEqual({ a: 3 });
  });

  it('an unknown format name is unsupported_format at once, not a search of nothing', async () => {
    await expectConfigError(() => fileProvider({ path: 'app.yaml', format: 'xml' as never }), { code: 'unsupported_format' });
    const err = await expectConfigError(() => fileProvider({ configName: 'app', format: 'xml' as never }), { code: 'unsupported_format' });
    expect(err.message).toContain('xml');
  });

  it('a file over the size limit is limit_exceeded (its own limit, or the loader’s)', async () => {
    const dir = tempDir({ 'app.yaml': 'a: 1\nb: 2\n' });
    const path = join(dir, 'app.yaml');
    const own = await expectConfigError(load({ path, limits: { maxDocumentBytes: 5 } }), { code: 'limit_exceeded', file: path });
    expect(own.context?.limit).toBe('maxDocumentBytes');
    await expectConfigError(load({ path }, { maxDocumentBytes: 5 }), { code: 'limit_exceeded', file: path });
    // The provider's own limit wins over the loader's.
    expect((await load({ path, limits: { maxDocumentBytes: 100 } }, { maxDocumentBytes: 5 })).value).toEqual({ a: 1, b: 2 });
  });

  it('names itself after the path or the config name', () => {
    expect(fileProvider({ path: 'x/app.yaml' }).name).toBe('file:x/app.yaml');
    expect(fileProvider({ configName: 'app' }).name).toBe('file:app');
    expect(fileProvider({ configName: 'app', name: 'mine' }).name).toBe('mine');
    expect(fileProvider().type).toBe('file');
  });
});

describe('fileProvider: search', () => {
  it('searches configPaths in order, the first directory with a match winning', async () => {
    const dir = tempDir({ 'a/app.json': '{"x": "a"}', 'b/app.yaml': 'x: b\ny: b\n' });
    const ab = await load({ configName: 'app', configPaths: [join(dir, 'a'), join(dir, 'b')] });
    expect(ab.value).toEqual({ x: 'a' });
    expect(ab.explain('x')?.location).toBe(join(dir, 'a/app.json'));
    const ba = await load({ configName: 'app', configPaths: [join(dir, 'b'), join(dir, 'a')] });
    expect(ba.value).toEqual({ x: 'b', y: 'b' });
  });

  it('within a directory, tries .yaml, .yml, .json, .toml in that order', async () => {
    const dir = tempDir({ 'app.toml': 'x = "toml"', 'app.json': '{"x": "json"}', 'app.yml': 'x: yml' });
    expect((await load({ configName: 'app', configPaths: [dir] })).get('x')).toBe('yml');
    const noYml = tempDir({ 'app.toml': 'x = "toml"', 'app.json': '{"x": "json"}' });
    expect((await load({ configName: 'app', configPaths: [noYml] })).get('x')).toBe('json');
  });

  it('with a format, searches only that format’s extensions', async () => {
    const dir = tempDir({ 'app.yaml': 'x: yaml', 'app.toml': 'x = "toml"', 'app.env': 'X=env\n' });
    expect((await load({ configName: 'app', configPaths: [dir], format: 'toml' })).get('x')).toBe('toml');
    expect((await load({ configName: 'app', configPaths: [dir], format: 'env' })).get('X')).toBe('env');
  });

  it('a required file found nowhere is file_not_found listing every path searched', async () => {
    const dir = tempDir({ 'a/other.txt': '', 'b/other.txt': '' });
    const paths = [join(dir, 'a'), join(dir, 'b')];
    const err = await expectConfigError(load({ configName: 'app', configPaths: paths, profile: 'prod' }), { code: 'file_not_found' });
    const searched = err.context?.searched as string[];
    for (const d of paths) {
      for (const ext of ['yaml', 'yml', 'json', 'toml']) {
        expect(searched).toContain(join(d, `app.${ext}`));
        expect(searched).toContain(join(d, `app.prod.${ext}`));
        expect(err.message).toContain(join(d, `app.${ext}`));
      }
    }
    expect(searched).toHaveLength(16);
  });

  it('optional: nothing found is an empty layer', async () => {
    const config = await load({ configName: 'app', configPaths: [tempDir()], optional: true });
    expect(config.value).toEqual({});
  });

  it('a directory named like the config file is file_access_error, not skipped', async () => {
    const dir = tempDir({ 'app.yaml/inner': 'x' });
    await expectConfigError(load({ configName: 'app', configPaths: [dir], optional: true }), { code: 'file_access_error', file: join(dir, 'app.yaml') });
  });
});

describe('fileProvider: profile', () => {
  it('layers <name>.<profile>.<ext> over the base, each value explained by its own file', async () => {
    const dir = tempDir({
      'app.yaml': 'server:\n  host: base\n  port: 8080\nlist: [1, 2]\n',
      'app.prod.json': '{\n  "server": { "port": 443 },\n  "list": [3]\n}\n',
    });
    const config = await load({ configName: 'app', configPaths: [dir], profile: 'prod' });
    expect(config.value).toEqual({ server: { host: 'base', port: 443 }, list: [3] });
    expect(config.explain('server.host')).toMatchObject({ location: join(dir, 'app.yaml'), line: 2 });
    expect(config.explain('server.port')).toMatchObject({ location: join(dir, 'app.prod.json'), line: 2 });
    expect(config.explain('list')).toMatchObject({ location: join(dir, 'app.prod.json'), line: 3 });
  });

  it('searches the overlay in every configPath, independently of the base', async () => {
    const dir = tempDir({ 'a/app.yaml': 'x: base\ny: base\n', 'b/app.prod.yaml': 'y: prod\n' });
    const config = await load({ configName: 'app', configPaths: [join(dir, 'a'), join(dir, 'b')], profile: 'prod' });
    expect(config.value).toEqual({ x: 'base', y: 'prod' });
    expect(config.explain('y')?.location).toBe(join(dir, 'b/app.prod.yaml'));
  });

  it('a missing overlay leaves the base alone; an overlay alone is enough', async () => {
    const base = tempDir({ 'app.yaml': 'x: 1\n' });
    expect((await load({ configName: 'app', configPaths: [base], profile: 'dev' })).value).toEqual({ x: 1 });
    const only = tempDir({ 'app.dev.yaml': 'x: 2\n' });
    const config = await load({ configName: 'app', configPaths: [only], profile: 'dev' });
    expect(config.value).toEqual({ x: 2 });
    expect(config.explain('x')?.location).toBe(join(only, 'app.dev.yaml'));
  });

  it('a forbidden key in the overlay fails with the overlay file', async () => {
    const dir = tempDir({ 'app.yaml': 'x: 1\n', 'app.prod.json': '{"__proto__": {"polluted": 1}}' });
    await expectConfigError(load({ configName: 'app', configPaths: [dir], profile: 'prod' }), { code: 'forbidden_key', file: join(dir, 'app.prod.json') });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fileProvider: health', () => {
  it('is healthy when a candidate exists, or when optional', async () => {
    const dir = tempDir({ 'app.yaml': 'x: 1\n' });
    expect(await fileProvider({ configName: 'app', configPaths: [dir] }).healthCheck!()).toEqual({ ok: true });
    expect((await fileProvider({ configName: 'none', configPaths: [dir] }).healthCheck!()).ok).toBe(false);
    expect((await fileProvider({ configName: 'none', configPaths: [dir], optional: true }).healthCheck!()).ok).toBe(true);
  });
});
