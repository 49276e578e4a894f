/**
 * Concurrency (RELIABILITY K1, K2): 1,000 concurrent loadConfig calls over shared providers give
 * identical snapshots; readers running during 1,000 alternating reloads (two valid configs on
 * disk) never see a torn snapshot, a pair of fields that must change together. Counts are written
 * to `.reliability/concurrency.json` for the report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { defaultsProvider } from '../../src/providers/memory.js';
import { watchConfig } from '../../src/presets/framework/api.js';
import { writeResult } from '../fuzz/harness.js';
import { tempDir } from '../support/temp.js';

const LOADS = Number(process.env.CONCURRENT_LOADS ?? 1000);
const RELOADS = Number(process.env.ALTERNATING_RELOADS ?? 1000);
const results: Record<string, unknown> = {};

afterAll(() => writeResult('concurrency', results));

function resourceCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

describe('loadConfig under concurrency (K1)', () => {
  it(`${LOADS} concurrent loads over shared providers all resolve to identical snapshots`, async () => {
    const dir = tempDir({
      'config.yaml': 'server:\n  port: 8080\n  host: a\nllm_providers:\n  - name: openai\n    model: gpt\n  - name: local\n    model: llama\n',
    });
    const sources = [
      envProvider({ prefix: 'APP', env: { APP_SERVER__PORT: '9090', APP_LLM_PROVIDERS__OPENAI__MODEL: 'gpt-4o' } }),
      fileProvider({ path: join(dir, 'config.yaml') }),
      defaultsProvider({ server: { timeout: 30 } }),
    ];
    const before = resourceCounts();
    const configs = await Promise.all(Array.from({ length: LOADS }, () => loadConfig({ sources, schema: false })));
    const first = configs[0]!;
    expect(first.value).toEqual({
      server: { port: 9090, host: 'a', timeout: 30 },
      llm_providers: [
        { name: 'openai', model: 'gpt-4o' },
        { name: 'local', model: 'llama' },
      ],
    });
    let differing = 0;
    for (const c of configs) {
      if (JSON.stringify(c.value) !== JSON.stringify(first.value)) differing++;
      if (JSON.stringify(c.explain('server.port')) !== JSON.stringify(first.explain('server.port'))) differing++;
      if (JSON.stringify(c.explain('llm_providers.0.model')) !== JSON.stringify(first.explain('llm_providers.0.model'))) differing++;
    }
    // Snapshots are independent: each is frozen on its own.
    expect(Object.isFrozen(first.value)).toBe(true);
    expect(configs[1]!.value).not.toBe(first.value);
    results.k1 = { loads: LOADS, resolved: configs.length, differingSnapshots: differing, resourcesBefore: before, resourcesAfter: resourceCounts() };
    expect(differing).toBe(0);
    // Loading opens no lasting handles (files are read and closed; nothing watches).
    expect(resourceCounts().FSReqCallback ?? 0).toBe(0);
  });
});

describe('LiveConfig readers during alternating reloads (K2)', () => {
  it(`readers never see a torn snapshot across ${RELOADS} reloads between two valid files`, async () => {
    const dir = tempDir();
    const path = join(dir, 'config.json');
    const doc = (gen: number) => JSON.stringify({ gen, pool: { min: gen, max: gen + 10 }, mode: gen % 2 === 0 ? 'even' : 'odd' });
    writeFileSync(path, doc(0));
    // A long debounce: only the explicit reload() calls below reload (the file watch stays armed).
    const live = await watchConfig<{ gen: number; pool: { min: number; max: number }; mode: string }>({
      sources: [fileProvider({ path })],
      schema: false,
      debounceMs: 60_000,
    });
    let reads = 0;
    let torn = 0;
    let wentBack = 0;
    let stop = false;
    let changes = 0;
    let lastVersion = live.version;
    let versionsOutOfOrder = 0;
    live.on('change', () => {
      changes++;
      if (live.version <= lastVersion) versionsOutOfOrder++;
      lastVersion = live.version;
    });

    // Eight reader loops, each yielding to the event loop between reads so reloads interleave.
    const reader = async () => {
      let seen = -1;
      while (!stop) {
        for (let i = 0; i < 50; i++) {
          const c = live.current();
          const gen = c.get('gen') as number;
          const v = c.value;
          reads++;
          if (v.pool.min !== gen || v.pool.max !== gen + 10 || c.get('pool.min') !== gen || v.mode !== (gen % 2 === 0 ? 'even' : 'odd')) torn++;
          if (gen < seen) wentBack++;
          seen = gen;
        }
        await new Promise((r) => setImmediate(r));
      }
    };
    const readers = Array.from({ length: 8 }, reader);

    const outcomes: Record<string, number> = {};
    try {
      for (let gen = 1; gen <= RELOADS; gen++) {
        writeFileSync(path, doc(gen));
        const outcome = await live.reload();
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        expect(live.current().get('gen')).toBe(gen);
        // A reload of a local file may finish in microtasks alone (sync read); give readers a turn.
        if (gen % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      stop = true;
      await Promise.all(readers);
      await live.close();
    }
    results.k2 = { reloads: RELOADS, readerLoops: 8, reads, torn, wentBack, outcomes, changeEvents: changes, versionsOutOfOrder, finalVersion: live.version };
    expect(torn).toBe(0);
    expect(wentBack).toBe(0);
    expect(outcomes).toEqual({ applied: RELOADS });
    expect(changes).toBe(RELOADS);
    expect(versionsOutOfOrder).toBe(0);
    expect(reads).toBeGreaterThan(RELOADS);
  });
});
