/**
 * Test helpers for watch/reload tests: count signals and wait for them with generous timeouts
 * (never fixed sleeps), temp dirs, and active-handle baselines.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

let gcFn: (() => void) | undefined;
/** Runs a full GC. Needed because Node lists a closed fs.watch handle in getActiveResourcesInfo() until its wrapper is collected. */
export function collectGarbage(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Counts calls and lets a test await the n-th one. */
export class SignalCounter {
  count = 0;
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly fn = (): void => {
    this.count++;
    this.waiters = this.waiters.filter((w) => {
      if (this.count >= w.n) w.resolve();
      return this.count < w.n;
    });
  };
  /** Resolves once the counter reaches `n` (rejects after `timeoutMs`). */
  async atLeast(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.count >= n) return;
    await withTimeout(new Promise<void>((resolve) => this.waiters.push({ n, resolve })), timeoutMs, `counter to reach ${n} (at ${this.count})`);
  }
}

/** Rejects if `p` does not settle within `ms`. Clears its timer either way. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Polls `cond` on each macrotask turn until it holds (rejects after `timeoutMs`). */
export async function eventually(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A fresh temp dir under os.tmpdir(); resolved through symlinks so paths compare equal. */
export async function tempDir(prefix = 'confstack-watch-'): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** Counts of the handle kinds that watching creates (FSEventWrap = fs.watch, Timeout, Immediate). */
export interface HandleCounts {
  FSEventWrap: number;
  Timeout: number;
  Immediate: number;
  StatWatcher: number;
}
export function handleCounts(): HandleCounts {
  const out: HandleCounts = { FSEventWrap: 0, Timeout: 0, Immediate: 0, StatWatcher: 0 };
  for (const r of process.getActiveResourcesInfo()) if (r in out) out[r as keyof HandleCounts]++;
  return out;
}

/** Writes `content` atomically the way editors do: temp file in the same dir, then rename. */
export async function atomicWrite(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  await fs.writeFile(tmp, content);
  await fs.rename(tmp, file);
}

/**
 * The kubelet's AtomicWriter layout and swap: `<dir>/..<ts>/<files>`, `..data -> ..<ts>`,
 * `<name> -> ..data/<name>`. swap() writes a new timestamped dir, points `..data_tmp` at it,
 * renames it over `..data`, then removes the old dir.
 */
export class KubeVolume {
  private gen = 0;
  private current = '';
  constructor(readonly dir: string) {}
  async init(files: Record<string, string>): Promise<void> {
    this.current = await this.writeGeneration(files);
    await fs.symlink(this.current, path.join(this.dir, '..data'));
    for (const name of Object.keys(files)) await fs.symlink(path.join('..data', name), path.join(this.dir, name));
  }
  async swap(files: Record<string, string>): Promise<void> {
    const old = this.current;
    this.current = await this.writeGeneration(files);
    const tmp = path.join(this.dir, '..data_tmp');
    await fs.symlink(this.current, tmp);
    await fs.rename(tmp, path.join(this.dir, '..data'));
    await fs.rm(path.join(this.dir, old), { recursive: true, force: true });
  }
  private async writeGeneration(files: Record<string, string>): Promise<string> {
    const name = `..2026_${String(++this.gen).padStart(4, '0')}`;
    await fs.mkdir(path.join(this.dir, name));
    for (const [f, c] of Object.entries(files)) await fs.writeFile(path.join(this.dir, name, f), c);
    return name;
  }
}

/**
 * handleCounts() once closed handles are gone: a closed fs.watch handle is listed until its
 * wrapper is garbage-collected and released a turn later, so collect, then wait until two
 * consecutive turns agree.
 */
export async function settledHandleCounts(): Promise<HandleCounts> {
  collectGarbage();
  await new Promise((r) => setImmediate(r));
  let prev = JSON.stringify(handleCounts());
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setImmediate(r));
    const now = JSON.stringify(handleCounts());
    if (now === prev) return JSON.parse(now) as HandleCounts;
    prev = now;
  }
  return handleCounts();
}
