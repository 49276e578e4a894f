/**
 * How fileProvider reads: regular files only, the size limit checked against what is actually
 * read, and nothing that can block the process (a FIFO with no writer, an endless device).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { fileProvider } from '../../src/providers/file.js';
import { tempDir } from '../support/temp.js';

const load = (path: string, maxDocumentBytes?: number) =>
  loadConfig({ sources: [fileProvider({ path, format: 'yaml' })], schema: false, ...(maxDocumentBytes ? { limits: { maxDocumentBytes } } : {}) });

describe('fileProvider file reading', () => {
  it('rejects a FIFO without blocking on it (no writer ever opens it)', async () => {
    const path = join(tempDir(), 'config.yaml');
    execFileSync('mkfifo', [path]);
    await expect(load(path)).rejects.toMatchObject({ code: 'file_access_error', context: { reason: 'not a regular file' }, location: { file: path } });
  });

  it('rejects a character device such as /dev/zero instead of reading it forever', async () => {
    await expect(load('/dev/zero', 1024)).rejects.toMatchObject({ code: 'file_access_error', context: { reason: 'not a regular file' } });
  });

  it('rejects a directory named like a config file', async () => {
    const dir = tempDir({ 'config.yaml/inner.txt': 'x' });
    await expect(load(join(dir, 'config.yaml'))).rejects.toMatchObject({ code: 'file_access_error', context: { reason: 'directory' } });
  });

  it('applies the size limit at the byte: at the limit loads, one byte over is limit_exceeded', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.yaml');
    const body = 'a: 1\n';
    writeFileSync(path, body);
    await expect(load(path, body.length)).resolves.toMatchObject({ value: { a: 1 } });
    appendFileSync(path, '#');
    await expect(load(path, body.length)).rejects.toMatchObject({ code: 'limit_exceeded', context: { limit: 'maxDocumentBytes' } });
  });

  it('reads an empty file as an empty layer', async () => {
    const path = join(tempDir({ 'config.yaml': '' }), 'config.yaml');
    const config = await load(path);
    expect(config.value).toEqual({});
  });

  it('reads a file larger than one read call returns in a single piece', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const path = join(tempDir({ 'config.yaml': lines }), 'config.yaml');
    const config = await load(path);
    expect(config.get('k0')).toBe(0);
    expect(config.get('k39999')).toBe(39_999);
  });
});
