/**
 * Fault scenarios against a real etcd cluster, shared by the cluster tests (a few seeds), the bench
 * and the reliability report (many seeds): a `watchConfig` over every member follows a counter
 * written once per `writeEveryMs` while a member is killed or frozen.
 *
 * What each run reports is measured, not asserted here: the time from the fault to the next applied
 * change (and, for a leader kill, to the new leader), and three counts that must stay 0: changes
 * lost (the live config never reached the last committed write), applies that went back in time,
 * and duplicate applies (the same counter value applied twice).
 */
import { etcdProvider, type EtcdWatchEvent } from '../../src/remote/etcd/index.js';
import { watchConfig, type LiveConfig } from '../../src/core/watch.js';
import type { EtcdCluster, EtcdMember } from '../support/etcd-server.js';

export type Fault = 'leader-kill' | 'follower-kill' | 'frozen-watch-member' | 'single-write-leader-kill';

export interface RunResult {
  fault: Fault;
  seed: number;
  /** Fault → the first applied change written after it (ms); undefined if none was applied. */
  faultToApplyMs: number | undefined;
  /**
   * The client's own part: from the later of the fault and the commit of the first write after it,
   * to its apply (a frozen leader holds writes back for etcd's request timeout; that is not ours).
   */
  lagMs: number | undefined;
  /** Leader kill → a new leader serving (ms); etcd's own part of faultToApplyMs. */
  electionMs?: number;
  lost: number;
  backInTime: number;
  duplicates: number;
  /** Counter values written (committed) and applied. */
  written: number;
  applied: number;
  /** `unavailable` / `available` events seen (should be 0 while a quorum stands). */
  unavailableEvents: number;
}

/** A deterministic PRNG (mulberry32) so a seed replays the same schedule. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await sleep(20);
  }
  return cond();
}

/** The member with etcd member id `id` (decimal), asked of each running member. */
export async function memberById(cluster: EtcdCluster, id: string): Promise<EtcdMember | undefined> {
  for (const m of cluster.members) {
    if (!m.running || m.paused) continue;
    try {
      const res = await fetchStatus(m);
      if (res === id) return m;
    } catch {
      // not answering
    }
  }
  return undefined;
}

async function fetchStatus(m: EtcdMember): Promise<string | undefined> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: m.port, path: '/v3/maintenance/status', method: 'POST', agent: false, timeout: 2_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => {
        try {
          resolve((JSON.parse(text) as { header?: { member_id?: string } }).header?.member_id);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end('{}');
  });
}

interface Follower {
  live: LiveConfig<unknown>;
  events: EtcdWatchEvent[];
  appliedAt: Map<number, number>;
  applied: number[];
  unavailable: number;
}

async function follow(cluster: EtcdCluster, prefix: string): Promise<Follower> {
  const events: EtcdWatchEvent[] = [];
  const t0 = performance.now();
  const live = await watchConfig<unknown>({
    sources: [etcdProvider({ endpoints: cluster.endpoints, prefix, dialTimeoutMs: 3_000, loadTimeoutMs: 3_000, onEvent: (e) => { events.push(e); if (process.env.CAMPAIGN_DEBUG) console.log(Math.round(performance.now() - t0), JSON.stringify(e)); } })],
    schema: false,
    debounceMs: 10,
  });
  const f: Follower = { live, events, appliedAt: new Map(), applied: [], unavailable: 0 };
  live.on('change', (next) => {
    const n = Number(next.get('seq'));
    f.applied.push(n);
    if (!f.appliedAt.has(n)) f.appliedAt.set(n, performance.now());
  });
  live.on('unavailable', () => f.unavailable++);
  return f;
}

/** Counts over the applied sequence: a value lower than the one before, or equal to it. */
function orderFaults(applied: readonly number[]): { backInTime: number; duplicates: number } {
  let backInTime = 0;
  let duplicates = 0;
  for (let i = 1; i < applied.length; i++) {
    if (applied[i]! < applied[i - 1]!) backInTime++;
    else if (applied[i] === applied[i - 1]) duplicates++;
  }
  return { backInTime, duplicates };
}

/** The member whose id the provider's last `connected` event named: the one holding the watch. */
async function watchMember(cluster: EtcdCluster, f: Follower): Promise<EtcdMember | undefined> {
  const id = [...f.events].reverse().find((e) => e.type === 'connected')?.member;
  return id ? memberById(cluster, id) : undefined;
}

/**
 * One run: a counter written every `writeEveryMs` (a failed write is retried, so the counter only
 * counts committed writes), the fault injected after a random number of writes, the member brought
 * back after the fault's first apply, and a final convergence wait.
 */
export async function runFault(cluster: EtcdCluster, fault: Fault, seed: number, opts: { writes?: number; writeEveryMs?: number; convergeMs?: number } = {}): Promise<RunResult> {
  const random = rng(seed);
  const prefix = `/campaign/${fault}/${seed}-${Math.floor(random() * 1e9)}`;
  const writes = fault === 'single-write-leader-kill' ? 1 : (opts.writes ?? 20);
  const writeEveryMs = opts.writeEveryMs ?? 100;
  await cluster.waitForLeader();
  let written = 0;
  await cluster.put(`${prefix}/seq`, String(written));
  const f = await follow(cluster, prefix);
  const faultAfter = fault === 'single-write-leader-kill' ? 0 : 3 + Math.floor(random() * (writes - 6));
  let faultAt: number | undefined;
  let electionMs: number | undefined;
  let victim: EtcdMember | undefined;
  let firstAfterFault: number | undefined;
  const committedAt = new Map<number, number>();
  try {
    await until(() => f.events.some((e) => e.type === 'connected'), 10_000);
    for (let i = 0; i <= writes; i++) {
      if (i === faultAfter) {
        victim = await pickVictim(cluster, f, fault);
        if (fault === 'single-write-leader-kill') {
          // The write and the failure back to back: the watch may never deliver it.
          await cluster.put(`${prefix}/seq`, String(++written));
          committedAt.set(written, performance.now());
          i++;
        }
        faultAt = performance.now();
        if (fault === 'frozen-watch-member') victim?.pause();
        else await victim?.kill();
        if (fault === 'leader-kill' || fault === 'single-write-leader-kill') {
          await cluster.waitForLeader();
          electionMs = performance.now() - faultAt;
        }
      }
      if (i >= writes) break;
      const value = written + 1;
      if (await putRetrying(cluster, `${prefix}/seq`, String(value))) {
        written = value;
        committedAt.set(value, performance.now());
        if (faultAt !== undefined && firstAfterFault === undefined) firstAfterFault = value;
      }
      await sleep(writeEveryMs);
    }
    if (fault === 'single-write-leader-kill') firstAfterFault = written;
    const converged = await until(() => Number(f.live.current().get('seq')) === written, opts.convergeMs ?? 15_000);
    const appliedAfter = firstAfterFault === undefined ? undefined : [...f.appliedAt.entries()].filter(([n]) => n >= firstAfterFault!).map(([, t]) => t);
    const firstApply = appliedAfter && appliedAfter.length > 0 ? Math.min(...appliedAfter) : undefined;
    const faultToApplyMs = faultAt !== undefined && firstApply !== undefined ? firstApply - faultAt : undefined;
    const commit = firstAfterFault === undefined ? undefined : committedAt.get(firstAfterFault);
    const lagMs = faultToApplyMs !== undefined && commit !== undefined ? firstApply! - Math.max(faultAt!, commit) : undefined;
    return {
      fault,
      seed,
      faultToApplyMs,
      lagMs,
      ...(electionMs !== undefined ? { electionMs } : {}),
      lost: converged ? 0 : 1,
      ...orderFaults(f.applied),
      written,
      applied: f.applied.length,
      unavailableEvents: f.unavailable,
    };
  } finally {
    await f.live.close();
    if (victim) {
      if (fault === 'frozen-watch-member') victim.resume();
      else await victim.restart();
    }
    await cluster.waitForLeader();
  }
}

async function pickVictim(cluster: EtcdCluster, f: Follower, fault: Fault): Promise<EtcdMember | undefined> {
  const leader = await cluster.waitForLeader();
  if (fault === 'leader-kill' || fault === 'single-write-leader-kill') return cluster.members[leader];
  if (fault === 'frozen-watch-member') return watchMember(cluster, f);
  // A follower, the one holding the watch when it is one.
  const holder = await watchMember(cluster, f);
  return holder && holder !== cluster.members[leader] ? holder : cluster.members.find((_, i) => i !== leader);
}

async function putRetrying(cluster: EtcdCluster, key: string, value: string): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await cluster.put(key, value);
      return true;
    } catch {
      await sleep(50);
    }
  }
  return false;
}

/** Median and max of the defined values. */
export function summarise(values: readonly (number | undefined)[]): { n: number; median: number; max: number } | undefined {
  const v = values.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  return { n: v.length, median: v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2, max: v[v.length - 1]! };
}
