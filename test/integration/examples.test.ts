/**
 * Every examples/*.ts type-checks and runs to exit 0 (etcd-fleet against a real etcd started
 * here). The demo script runs too, so `npm run demo` keeps working.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdBinary, startEtcd, type EtcdServer } from '../support/etcd-server.js';
import { ROOT, runTs, typeErrors } from './doc-blocks.js';

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ts')).sort();
let etcd: EtcdServer | undefined;

beforeAll(async () => {
  if (etcdBinary()) etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

describe('examples', () => {
  it('has the six documented examples', () => {
    expect(examples).toEqual(['basic.ts', 'custom-schema.ts', 'etcd-fleet.ts', 'framework-and-app.ts', 'health-endpoint.ts', 'otel-setup.ts']);
  });

  it('type-check', () => {
    expect(typeErrors(examples.map((f) => join(ROOT, 'examples', f)))).toEqual([]);
  });

  it.each(examples.filter((f) => f !== 'etcd-fleet.ts'))('%s runs to exit 0', (file) => {
    const r = runTs(join(ROOT, 'examples', file), {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/sk-example-not-a-real-key|dev-only-password/);
  });

  // Needs a real etcd (scripts/test.sh installs it): without one this reports skipped, never passed.
  it.skipIf(!etcdBinary())('etcd-fleet.ts runs to exit 0 against a real etcd and rejects the bad write', () => {
    const r = runTs(join(ROOT, 'examples', 'etcd-fleet.ts'), { ETCD_ENDPOINTS: etcd!.endpoint });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/sk-example-not-a-real-key|dev-only-password/);
    expect(r.stdout).toMatch(/bad write: reload_rejected/);
  });
});

describe('npm run demo (scripts/demo.sh)', () => {
  it('exits 0 and shows sources, an env override, validation and health without secrets', () => {
    const r = spawnSync('bash', ['scripts/demo.sh'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/port: 9090 # env CONFSTACK_SERVER__PORT/);
    expect(r.stdout).toMatch(/set by env CONFSTACK_SERVER__PORT/);
    expect(r.stdout).toMatch(/configuration is valid/);
    expect(r.stdout).toMatch(/status: healthy/);
    expect(r.stdout + r.stderr).not.toMatch(/sk-demo-0000|demo-db-password/);
  });
});
