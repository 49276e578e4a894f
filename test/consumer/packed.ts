/**
 * The package as a user gets it: `npm pack` of the built repository into a temporary directory,
 * then a consumer project that installs the tarball with `npm ci --offline`. The project's lock
 * file is written from this repository's own (same versions, same integrity hashes), so every
 * dependency comes from the npm cache that `npm ci` filled, never from the network.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../integration/doc-blocks.js';

export { ROOT };

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  bin: Record<string, string>;
  engines?: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
}

export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

export interface Packed {
  /** The temporary directory holding the tarball and the consumer project. */
  dir: string;
  tarball: string;
  /** Bytes of the .tgz, and of its contents unpacked. */
  size: number;
  unpackedSize: number;
  /** Paths inside the package (`dist/index.js`, `package.json`…). */
  files: string[];
  /** The consumer project: package.json, package-lock.json, node_modules/confstack. */
  project: string;
}

/** A child's result; throws with its output when it exits non-zero. */
function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `npm pack`s the repository (dist/ must be built: `npm test` builds first). */
export function pack(): Omit<Packed, 'project'> {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
  const dir = mkdtempSync(join(tmpdir(), 'confstack-consumer-'));
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  return { dir, tarball: join(dir, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files.map((f) => f.path) };
}

/**
 * The lock entries of `names` and everything they depend on, found in the repository's lock the
 * way Node resolves (nested `node_modules` first, then upwards), keyed by the same paths.
 */
function lockClosure(names: string[]): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const out: Record<string, LockEntry> = {};
  const queue: [from: string, name: string][] = names.map((name) => ['', name]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [from, name] = next;
    const key = resolveInLock(lock.packages, from, name);
    if (out[key]) continue;
    const entry = lock.packages[key]!;
    out[key] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push([key, dep]);
  }
  return out;
}

/** The lock key `name` resolves to from the package at lock key `from` ('' = the root). */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string {
  for (let dir = from; ; ) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') throw new Error(`${name} (needed by ${from || 'confstack'}) is not in package-lock.json`);
    const up = dir.lastIndexOf('/node_modules/');
    dir = up >= 0 ? dir.slice(0, up) : '';
  }
}

/**
 * The optional peers the README's code needs to type-check (`confstack/etcd` uses etcd3's types,
 * `confstack/testing` the OTel SDK's), installed as a user of those entry points would.
 */
export const OPTIONAL_PEERS = ['etcd3', '@opentelemetry/sdk-metrics', '@opentelemetry/sdk-trace-base'];

/**
 * Packs, then installs the tarball (and `peers`, at this repository's versions) into a fresh
 * consumer project with `npm ci --offline`.
 */
export function packAndInstall(peers: readonly string[] = OPTIONAL_PEERS): Packed {
  const packed = pack();
  const project = join(packed.dir, 'project');
  mkdirSync(project);
  const spec = `file:../${packed.tarball.split('/').pop()}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(packed.tarball)).digest('base64')}`;
  const deps = lockClosure([...Object.keys(PKG.dependencies), ...peers]);
  const dependencies = Object.fromEntries([['confstack', spec], ...peers.map((name) => [name, deps[`node_modules/${name}`]!.version!])]);
  const manifest = { name: 'confstack-consumer', version: '1.0.0', private: true, type: 'module', dependencies };
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
      'node_modules/confstack': {
        version: PKG.version,
        resolved: spec,
        integrity,
        dependencies: PKG.dependencies,
        ...(PKG.peerDependencies ? { peerDependencies: PKG.peerDependencies } : {}),
        ...(PKG.peerDependenciesMeta ? { peerDependenciesMeta: PKG.peerDependenciesMeta } : {}),
        bin: PKG.bin,
        ...(PKG.engines ? { engines: PKG.engines } : {}),
      },
      ...deps,
    },
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  // ENOTCACHED here means the npm cache lacks a dependency's tarball: `npm ci` in this repository fills it.
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  return { ...packed, project };
}

export function removePacked(p: { dir: string } | undefined): void {
  if (p) rmSync(p.dir, { recursive: true, force: true });
}

/** A child environment: minimal, without the machine's NODE_EXTRA_CA_CERTS or a developer's CONFSTACK_*. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The running Node first on PATH, so `#!/usr/bin/env node` (the bin) starts the same version.
  const path = `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  return { PATH: path, HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...extra };
}
