/**
 * Reload latency, end to end: from the write (a file saved atomically, an etcd put) until a
 * LiveConfig emits `change` with the new value — watching, debounce, the whole load pipeline
 * (parse, merge, framework validation) and the diff. Nothing is subtracted. Fleet convergence:
 * 20 LiveConfigs watching one etcd key, from one put until the last of them has emitted `change`.
 * etcd is the real binary, started on free loopback ports (test/support/etcd-server.ts).
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchConfig, type LiveConfig } from 'confstack';
import { etcdProvider } from 'confstack/etcd';
import { startEtcd, type EtcdServer } from '../../test/support/etcd-server.js';
import { appConfig, serialize } from '../fixtures.js';
import { formatMs, summarize } from '../lib/measure.js';
import type { BenchCase, Row } from '../lib/types.js';

type Live = LiveConfig<unknown>;

const FLEET = 20;
/** A round that has not converged by then counts as failed (and the case goes on). */
const ROUND_TIMEOUT_MS = 10_000;
/** Quiet time between rounds, so one round's trailing watch events do not start the next. */
const SETTLE_MS = 25;

const KEY = 'features.max_upload_mb';

/** The ~3 KB fixture with `features.max_upload_mb` set to `n`, as YAML. */
function document(n: number): string {
  const value = appConfig('3KB') as { features: Record<string, unknown> };
  value.features.max_upload_mb = n;
  return serialize(value, 'yaml');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with the time at which `live` emits a `change` whose snapshot holds `n` (undefined on timeout). */
function changeTo(live: Live, n: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onChange = (next: { get(path: string): unknown }): void => {
      if (next.get(KEY) !== n) return;
      const at = performance.now();
      done();
      resolve(at);
    };
    const timer = setTimeout(() => {
      done();
      resolve(undefined);
    }, ROUND_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      live.off('change', onChange);
    };
    live.on('change', onChange);
  });
}

interface Rounds {
  /** Until the last wait resolved. */
  readonly latencies: number[];
  /** Until the first wait resolved (differs from latencies only with several waits). */
  readonly firsts: number[];
  readonly failed: number;
}

/** `rounds` times: arm the waits, write the document holding `n`, record the time until the waits resolved. */
async function measure(rounds: number, start: number, write: (text: string) => Promise<void> | void, wait: (n: number) => Promise<(number | undefined)[]>): Promise<Rounds> {
  const latencies: number[] = [];
  const firsts: number[] = [];
  let failed = 0;
  for (let i = 0; i < rounds; i++) {
    const n = start + i;
    const text = document(n);
    const waiting = wait(n);
    const t0 = performance.now();
    await write(text);
    const times = await waiting;
    if (times.some((t) => t === undefined)) failed++;
    else {
      latencies.push(Math.max(...(times as number[])) - t0);
      firsts.push(Math.min(...(times as number[])) - t0);
    }
    await sleep(SETTLE_MS);
  }
  return { latencies, firsts, failed };
}

function row(name: string, r: Rounds, note: string): Row {
  const s = summarize(r.latencies);
  return { name, median: s.median, p99: s.p99, note: `${note}; ${r.latencies.length} rounds${r.failed ? `, ${r.failed} timed out` : ''}` };
}

/** Waits until every provider has reported its watch connected. */
async function allConnected(connected: () => number, count: number): Promise<void> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  while (connected() < count) {
    if (Date.now() > deadline) throw new Error(`only ${connected()} of ${count} etcd watches connected`);
    await sleep(10);
  }
}

export const run: BenchCase = async (ctx) => {
  const rounds = ctx.quick ? 5 : 100;
  const rows: Row[] = [];
  const notes: string[] = [];
  const lives: Live[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'confstack-bench-reload-'));
  let etcd: EtcdServer | undefined;
  try {
    // File write → change, for the smallest debounce (0) and the default (100 ms).
    const file = join(dir, 'config.yaml');
    writeFileSync(file, document(0));
    // An editor's save: write a temp file, rename it over the config (one consistent event).
    const save = (text: string): void => {
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    };
    let next = 1;
    for (const debounceMs of [0, undefined]) {
      const live = (await watchConfig<unknown>({ configPaths: [dir], env: {}, ...(debounceMs === undefined ? {} : { debounceMs }) })) as Live;
      lives.push(live);
      const count = debounceMs === undefined ? Math.min(rounds, 30) : rounds;
      ctx.log(`reload: file, debounceMs ${debounceMs ?? 'default'}, ${count} rounds`);
      const r = await measure(count, next, save, async (n) => [await changeTo(live, n)]);
      next += count;
      rows.push(row(`file save → change (debounceMs ${debounceMs ?? 'default = 100'})`, r, 'atomic save (write + rename) of the ~3 KB YAML'));
      await live.close();
    }

    try {
      etcd = await startEtcd();
    } catch (err) {
      notes.push(`etcd rows skipped: etcd could not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
    }
    if (etcd) {
      try {
        const server = etcd;
        const key = '/bench/app/config.yaml';
        await server.put(key, document(0));
        let connected = 0;
        const watch = async (): Promise<Live> => {
          const live = (await watchConfig<unknown>({
            sources: [
              etcdProvider({
                endpoints: [server.endpoint],
                prefix: '/bench/app',
                mode: 'document',
                key,
                onEvent: (e) => {
                  if (e.type === 'connected') connected++;
                },
              }),
            ],
            env: {},
            debounceMs: 0,
          })) as Live;
          lives.push(live);
          return live;
        };
        const putTimes: number[] = [];
        const put = async (text: string): Promise<void> => {
          const t0 = performance.now();
          await server.put(key, text);
          putTimes.push(performance.now() - t0);
        };

        // etcd put → change, one watcher.
        const single = await watch();
        await allConnected(() => connected, 1);
        ctx.log(`reload: etcd put, ${rounds} rounds`);
        rows.push(row('etcd put → change (debounceMs 0)', await measure(rounds, next, put, async (n) => [await changeTo(single, n)]), 'put of the ~3 KB YAML document key'));
        next += rounds;
        await single.close();
        const putAlone = summarize(putTimes);
        rows.push({ name: 'etcd put alone (reference)', median: putAlone.median, p99: putAlone.p99, note: 'the put request over the gateway’s HTTP API (new connection each), part of the row above' });

        // Fleet convergence.
        connected = 0;
        const fleet = await Promise.all(Array.from({ length: FLEET }, watch));
        await allConnected(() => connected, FLEET);
        const fleetRounds = ctx.quick ? 3 : 30;
        ctx.log(`reload: fleet of ${FLEET}, ${fleetRounds} rounds`);
        const r = await measure(fleetRounds, next, put, (n) => Promise.all(fleet.map((l) => changeTo(l, n))));
        rows.push(
          row(`fleet of ${FLEET}: put → all emitted change`, r, `${FLEET} LiveConfigs, each with its own etcd client, debounceMs 0`),
          row(`fleet of ${FLEET}: put → first emitted change`, { ...r, latencies: r.firsts }, 'the fastest instance of each of the same rounds'),
        );
        await Promise.all(fleet.map((l) => l.close()));
        notes.push(
          `Fleet: all ${FLEET} instances share this process's event loop (2 cores), so their ${FLEET} reloads (parse, validation) run one after another; the gap between the first and the last (median ${formatMs(summarize(r.latencies).median - summarize(r.firsts).median)}) is mostly that queue, which separate machines would not have.`,
        );
      } catch (err) {
        // The file rows stand; say what stopped the etcd ones.
        notes.push(`etcd rows incomplete: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}.`);
      }
    }
  } finally {
    await Promise.allSettled(lives.map((l) => l.close()));
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  notes.unshift(
    'Latency: from just before the write (writeFile + rename; the etcd put over the gateway’s HTTP API, its round trip included) until `change` fires with the new value; nothing subtracted. Each reload runs the whole pipeline: read, parse, merge, framework validation, diff.',
    `debounceMs 0 is the smallest the API allows (a trailing debounce of 0 still waits for the next timer turn); the default is 100 ms. ${SETTLE_MS} ms of quiet between rounds.`,
  );
  return {
    id: 'reload',
    title: 'Live reload latency',
    description: 'Time from a change at the source to the `change` event of a LiveConfig (median and p99 over rounds), and for a fleet of 20 LiveConfigs on one etcd key to all emit it.',
    columns: ['median', 'p99', 'note'],
    rows,
    goals: [],
    notes,
  };
};
