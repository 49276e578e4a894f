import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isConfigError, type ConfigError } from '../../src/foundation/errors.js';
import { watchPaths } from '../../src/providers/file-watch.js';
import { atomicWrite, eventually, handleCounts, KubeVolume, settledHandleCounts, SignalCounter, tempDir } from '../support/reload-events.js';

const stops: (() => void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s();
  vi.restoreAllMocks();
});

function watch(paths: string[], opts?: Parameters<typeof watchPaths>[2]): SignalCounter {
  const c = new SignalCounter();
  stops.push(watchPaths(paths, c.fn, opts));
  return c;
}

/**
 * Proves that nothing fired for the actions so far without sleeping: a later change to a
 * sentinel file (watched too) must arrive as exactly one more signal, and events arrive in order.
 */
async function expectNoSignalSince(c: SignalCounter, before: number, sentinel: string): Promise<void> {
  await atomicWrite(sentinel, `sentinel ${Math.random()}`);
  await c.atLeast(before + 1);
  expect(c.count).toBe(before + 1);
}

describe('watchPaths', () => {
  it('signals an in-place write', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f]);
    await fsp.writeFile(f, 'a: 22\n');
    await c.atLeast(1);
  });

  it('signals every atomic save (temp file + rename), 20 times, and the watch stays alive', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    const sentinel = path.join(dir, 'sentinel');
    await fsp.writeFile(f, 'v: 0\n');
    const c = watch([f, sentinel]);
    for (let i = 1; i <= 20; i++) {
      await atomicWrite(f, `v: ${i}\n`);
      await c.atLeast(i);
    }
    // Exactly one signal per save: the temp file's own events are not about cfg.yaml.
    await expectNoSignalSince(c, 20, sentinel);
  });

  it('ignores other files in the same directory', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    const sentinel = path.join(dir, 'sentinel');
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f, sentinel]);
    await fsp.writeFile(path.join(dir, 'app.log'), 'noise\n');
    await fsp.appendFile(path.join(dir, 'app.log'), 'more noise\n');
    await fsp.mkdir(path.join(dir, 'sub'));
    await expectNoSignalSince(c, 0, sentinel);
  });

  it('signals delete and recreate, and keeps watching', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f]);
    await fsp.rm(f);
    await c.atLeast(1);
    await fsp.writeFile(f, 'a: 2\n');
    await c.atLeast(2);
    const n = c.count;
    await atomicWrite(f, 'a: 3\n');
    await c.atLeast(n + 1);
  });

  it('signals a file that appears later under directories that did not exist', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'config', 'prod', 'cfg.yaml');
    const c = watch([f]);
    await fsp.mkdir(path.join(dir, 'config'));
    await fsp.mkdir(path.join(dir, 'config', 'prod'));
    await fsp.writeFile(f, 'a: 1\n');
    await c.atLeast(1);
    const n = c.count;
    await fsp.writeFile(f, 'a: 2\n');
    await c.atLeast(n + 1);
  });

  it('survives its directory being removed and recreated', async () => {
    const dir = await tempDir();
    const sub = path.join(dir, 'conf');
    const f = path.join(sub, 'cfg.yaml');
    await fsp.mkdir(sub);
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f]);
    await fsp.rm(sub, { recursive: true });
    await c.atLeast(1);
    await fsp.mkdir(sub);
    await fsp.writeFile(f, 'a: 2\n');
    await c.atLeast(2);
    const n = c.count;
    await atomicWrite(f, 'a: 3\n');
    await c.atLeast(n + 1);
  });

  it('signals exactly once per Kubernetes ..data symlink swap', async () => {
    const dir = await tempDir();
    const vol = new KubeVolume(dir);
    await vol.init({ 'config.yaml': 'v: 0\n' });
    const f = path.join(dir, 'config.yaml');
    const sentinel = path.join(dir, 'sentinel');
    const c = watch([f, sentinel]);
    for (let i = 1; i <= 5; i++) {
      await vol.swap({ 'config.yaml': `v: ${i}\n` });
      await c.atLeast(i);
      expect(await fsp.readFile(f, 'utf8')).toBe(`v: ${i}\n`);
    }
    await expectNoSignalSince(c, 5, sentinel);
  });

  it('signals when a symlinked directory is retargeted (git-sync style)', async () => {
    const root = await tempDir();
    for (const rev of ['rev-a', 'rev-b']) {
      await fsp.mkdir(path.join(root, rev));
      await fsp.writeFile(path.join(root, rev, 'cfg.yaml'), `rev: ${rev}\n`);
    }
    await fsp.symlink('rev-a', path.join(root, 'current'));
    const f = path.join(root, 'current', 'cfg.yaml');
    const c = watch([f]);
    await fsp.symlink('rev-b', path.join(root, 'current.tmp'));
    await fsp.rename(path.join(root, 'current.tmp'), path.join(root, 'current'));
    await c.atLeast(1);
    expect(await fsp.readFile(f, 'utf8')).toBe('rev: rev-b\n');
  });

  it('signals an in-place edit of the real file behind a symlink in another directory', async () => {
    const root = await tempDir();
    await fsp.mkdir(path.join(root, 'real'));
    await fsp.mkdir(path.join(root, 'app'));
    const real = path.join(root, 'real', 'cfg.yaml');
    await fsp.writeFile(real, 'a: 1\n');
    const f = path.join(root, 'app', 'cfg.yaml');
    await fsp.symlink(real, f);
    const c = watch([f]);
    await fsp.writeFile(real, 'a: 2\n');
    await c.atLeast(1);
  });

  it('signals permission flips', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f]);
    await fsp.chmod(f, 0o000);
    await c.atLeast(1);
    await fsp.chmod(f, 0o644);
    await c.atLeast(2);
  });

  it('signals a same-size rewrite through an open descriptor (content hash)', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    const c = watch([f]);
    const fd = fs.openSync(f, 'r+');
    try {
      fs.writeSync(fd, 'a: 2\n', 0);
    } finally {
      fs.closeSync(fd);
    }
    await c.atLeast(1);
  });

  it('falls back to polling when fs.watch fails with ENOSPC, and reports it once', async () => {
    vi.spyOn(fs, 'watch').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    });
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    const errors: ConfigError[] = [];
    const c = watch([f], { pollIntervalMs: 20, onError: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(isConfigError(errors[0], 'provider_unavailable')).toBe(true);
    expect(errors[0]!.op).toBe('watch');
    expect((errors[0]!.cause as { code?: string }).code).toBe('ENOSPC');
    expect(errors[0]!.location?.file).toBe(f);
    await fsp.writeFile(f, 'a: 2\n');
    await c.atLeast(1);
    await fsp.rm(f);
    await c.atLeast(2);
  });

  it('polls when asked to, and unsubscribing clears the timer', async () => {
    const before = await settledHandleCounts();
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    const c = new SignalCounter();
    const stop = watchPaths([f], c.fn, { poll: true, pollIntervalMs: 20 });
    expect(handleCounts().FSEventWrap).toBe(before.FSEventWrap);
    await fsp.writeFile(f, 'a: 1\n');
    await c.atLeast(1);
    stop();
    stop(); // idempotent
    await eventually(() => handleCounts().Timeout <= before.Timeout, 10_000, 'poll timer cleared');
  });

  it('closes every watcher on unsubscribe and never signals afterwards', async () => {
    const before = (await settledHandleCounts()).FSEventWrap;
    const dir = await tempDir();
    const vol = new KubeVolume(dir);
    await vol.init({ 'config.yaml': 'v: 0\n' });
    const f = path.join(dir, 'config.yaml');
    const missing = path.join(dir, 'nope', 'deeper', 'x.yaml');
    const c = new SignalCounter();
    const stop = watchPaths([f, missing], c.fn);
    expect(handleCounts().FSEventWrap).toBeGreaterThan(before);
    stop();
    expect((await settledHandleCounts()).FSEventWrap).toBeLessThanOrEqual(before);
    await vol.swap({ 'config.yaml': 'v: 1\n' });
    await fsp.writeFile(path.join(dir, 'other'), 'x');
    // A fresh watcher on the same dir sees later events; the closed one must still be silent.
    const probe = new SignalCounter();
    const stopProbe = watchPaths([path.join(dir, 'other')], probe.fn);
    stops.push(stopProbe);
    await fsp.writeFile(path.join(dir, 'other'), 'y');
    await probe.atLeast(1);
    expect(c.count).toBe(0);
  });

  it('keeps working when the subscriber throws', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cfg.yaml');
    await fsp.writeFile(f, 'a: 1\n');
    let calls = 0;
    stops.push(
      watchPaths([f], () => {
        calls++;
        throw new Error('subscriber bug');
      }),
    );
    await atomicWrite(f, 'a: 2\n');
    await eventually(() => calls >= 1);
    await atomicWrite(f, 'a: 3\n');
    await eventually(() => calls >= 2);
  });
});
