/**
 * etcd cluster faults: a `watchConfig` over the three members of a real cluster on loopback ports
 * follows a counter written every 100 ms while a member is killed or frozen (test/etcd/campaign.ts,
 * the scenarios the cluster tests assert on, here over more seeds). Figures: fault → the next
 * applied change (median, max), the part etcd's own election takes, the client's own lag, and
 * changes lost / back in time / duplicated (goal 0). Also the cost of stalled-member detection:
 * CPU time of idle watches that send a progress request each quiet second.
 */
import { etcdProvider } from '../../src/remote/etcd/index.js';
import { runFault, summarise, type Fault, type RunResult } from '../../test/etcd/campaign.js';
import { startEtcdCluster } from '../../test/support/etcd-server.js';
import { formatMs } from '../lib/measure.js';
import type { BenchCase, Goal, Row } from '../lib/types.js';

const FAULTS: Fault[] = ['leader-kill', 'follower-kill', 'frozen-watch-member', 'single-write-leader-kill'];
const LABEL: Record<Fault, string> = {
  'leader-kill': 'leader kill → next applied change',
  'follower-kill': 'follower (holding the watch) kill → next applied change',
  'frozen-watch-member': 'frozen member holding the watch (SIGSTOP) → next applied change',
  'single-write-leader-kill': 'one write, then leader kill → that write applied',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU time (ms) this process spends over `ms` with `n` idle watches open (none when n = 0). */
async function idleCpu(endpoints: string[], n: number, ms: number): Promise<number> {
  const providers = Array.from({ length: n }, (_, i) => etcdProvider({ endpoints, prefix: `/idle/${i}` }));
  const stops = providers.map((p) => p.watch!(() => undefined));
  await sleep(1_500); // connected and quiet
  const before = process.cpuUsage();
  await sleep(ms);
  const used = process.cpuUsage(before);
  stops.forEach((s) => s());
  await Promise.all(providers.map((p) => p.close!()));
  return (used.user + used.system) / 1000;
}

export const run: BenchCase = async (ctx) => {
  const seeds = Number(process.env.ETCD_CAMPAIGN_SEEDS ?? (ctx.quick ? 2 : 8));
  const cluster = await startEtcdCluster();
  const results: RunResult[] = [];
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  try {
    for (const fault of FAULTS) {
      ctx.log(`etcd-cluster: ${fault}, ${seeds} seeds`);
      for (let seed = 1; seed <= seeds; seed++) results.push(await runFault(cluster, fault, seed));
    }
    const idleMs = ctx.quick ? 3_000 : 10_000;
    const base = await idleCpu(cluster.endpoints, 0, idleMs);
    const twenty = await idleCpu(cluster.endpoints, 20, idleMs);
    rows.push({ name: 'stall detection cost: 20 idle watches', median: (twenty - base) / 20 / (idleMs / 1000), note: `CPU ms per watch per second above an idle process (${formatMs(base)} idle, ${formatMs(twenty)} with 20 watches over ${idleMs / 1000} s); one progress request (~10 bytes, ~40 back) per quiet second per watch` });
  } finally {
    await cluster.stop();
  }

  for (const fault of FAULTS) {
    const runs = results.filter((r) => r.fault === fault);
    const apply = summarise(runs.map((r) => r.faultToApplyMs));
    const lag = summarise(runs.map((r) => r.lagMs));
    const election = summarise(runs.map((r) => r.electionMs));
    const counts = runs.reduce((a, r) => ({ lost: a.lost + r.lost, back: a.back + r.backInTime, dup: a.dup + r.duplicates }), { lost: 0, back: 0, dup: 0 });
    const note = `${runs.length} seeds; lost ${counts.lost}, back in time ${counts.back}, duplicates ${counts.dup}`;
    if (apply) rows.push({ name: LABEL[fault], group: fault, median: apply.median, p99: apply.max, note: `${note} (p99 column: max)` });
    if (election) rows.push({ name: '  of which etcd elects a new leader', group: fault, median: election.median, p99: election.max });
    if (lag && fault === 'frozen-watch-member') rows.push({ name: '  client lag (from the later of freeze and commit)', group: fault, median: lag.median, p99: lag.max, note: 'a frozen leader holds writes back for etcd’s request timeout; that part is not the client’s' });
    goals.push({ goal: `${fault}: 0 lost, 0 back in time, 0 duplicates over every seed`, measured: `${counts.lost} / ${counts.back} / ${counts.dup}`, met: counts.lost + counts.back + counts.dup === 0 });
    if (fault === 'leader-kill' && apply && election) {
      goals.push({ goal: 'leader kill → apply ≤ election + 1 s (median)', measured: `${formatMs(apply.median)} vs ${formatMs(election.median)} + 1 s`, met: apply.median <= election.median + 1_000 });
    }
    if (fault === 'frozen-watch-member' && lag) {
      goals.push({ goal: 'frozen member → apply ≤ 5 s (client lag, max)', measured: formatMs(lag.max), met: lag.max <= 5_000 });
    }
  }
  notes.push(
    'A 3-member etcd 3.4 cluster (Debian etcd-server, default heartbeat 100 ms / election 1000 ms) on loopback ports; the LiveConfig has every member as endpoint, debounceMs 10; a counter written every 100 ms through the members’ HTTP gateway; the fault after a random number of writes (seeded), the member restarted or resumed after the run.',
    'Stalled-member detection: a watch stream quiet for 1 s sends a progress request; no answer within 2 s more ends it, marks the member failed (cockatiel breaker) and the watch moves on. gRPC keepalive could not do it faster: etcd closes connections that ping more often than every 5 s.',
  );
  return {
    id: 'etcd-cluster',
    title: 'etcd cluster faults',
    description: 'A LiveConfig on a 3-member etcd cluster while a member is killed or frozen: time to the next applied change (median, max over seeds) and changes lost / back in time / duplicated.',
    columns: ['median', 'p99', 'note'],
    rows,
    goals,
    notes,
  };
};
