/**
 * The etcd fault campaign section of docs/RELIABILITY.md (figure 7), from `.reliability/etcd-cluster.json`
 * written by test/integration/etcd-cluster.test.ts (seeds: ETCD_CAMPAIGN_SEEDS, default 2; the
 * long campaign: ETCD_CAMPAIGN_SEEDS=16 npx tsx scripts/reliability-report.ts).
 */
import type { RunResult } from '../test/etcd/campaign.js';
import { summarise } from '../test/etcd/campaign.js';

const LABEL: Record<RunResult['fault'], string> = {
  'leader-kill': 'Leader killed during a write stream (R3)',
  'follower-kill': 'Follower holding the watch killed',
  'frozen-watch-member': 'Member holding the watch frozen (SIGSTOP) (R4)',
  'single-write-leader-kill': 'One write, then the leader killed',
};

const s = (x: number | undefined): string => (x === undefined ? '—' : (x / 1000).toFixed(2));

export function renderEtcdSection(data: { seeds: number; runs: RunResult[] } | undefined): string[] {
  const out = ['## 7. etcd fault campaign', ''];
  if (!data) return [...out, '_No etcd campaign results found (`test/integration/etcd-cluster.test.ts` did not run)._', ''];
  out.push(
    `Test: \`test/integration/etcd-cluster.test.ts\`, scenarios in \`test/etcd/campaign.ts\`: a real 3-member etcd cluster on loopback ports, a \`watchConfig\` with every member as endpoint following a counter written every 100 ms; the fault after a seeded random number of writes. ${data.seeds} seed(s) per fault in this report. Each run asserts the three counts below are 0. Times in seconds, from the fault to the first applied change written after it.`,
    '',
    '| Fault | Runs | Fault → next apply, median / max (s) | etcd election, median / max (s) | Client lag¹, median / max (s) | Lost | Back in time | Duplicates |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const fault of Object.keys(LABEL) as RunResult['fault'][]) {
    const runs = data.runs.filter((r) => r.fault === fault);
    if (runs.length === 0) continue;
    const a = summarise(runs.map((r) => r.faultToApplyMs));
    const e = summarise(runs.map((r) => r.electionMs));
    const l = summarise(runs.map((r) => r.lagMs));
    const sum = (k: 'lost' | 'backInTime' | 'duplicates'): number => runs.reduce((x, r) => x + r[k], 0);
    out.push(`| ${LABEL[fault]} | ${runs.length} | ${s(a?.median)} / ${s(a?.max)} | ${e ? `${s(e.median)} / ${s(e.max)}` : '—'} | ${s(l?.median)} / ${s(l?.max)} | **${sum('lost')}** | **${sum('backInTime')}** | **${sum('duplicates')}** |`);
  }
  out.push(
    '',
    '¹ From the later of the fault and the commit of that write to its apply: what the client adds (a frozen leader holds writes back for etcd’s own request timeout).',
    '',
    'Goals (issue 15): 0 lost, 0 back in time, 0 duplicates over every seed; leader kill → apply ≤ election + 1 s at the median; frozen member → apply ≤ 5 s. Quorum loss and recovery, sparse writes with a member down, TLS (wrong CA, no client certificate) and auth (wrong password, denied prefix) are single-run tests in the same file.',
    '',
  );
  return out;
}
