/**
 * Turns the CLI's global options into the provider list of a load, highest priority first:
 * etcd (`--etcd`) > `--set` overrides > env > `-c` files (last given first) > schema defaults.
 * Without `-c` the default search (`./config`, `.` for `config.{yaml,yml,json,toml}`) is used.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { LoadOptions } from '../load.js';
import { envProvider } from '../providers/env.js';
import { fileProvider } from '../providers/file.js';
import { memoryProvider } from '../providers/memory.js';
import type { Provider } from '../providers/provider.js';
import type { GlobalOptions, SetOverride } from './args.js';

/** Builds the nested tree of `--set` overrides (null-prototype objects; later overrides win). */
export function overridesTree(set: readonly SetOverride[]): Record<string, unknown> {
  const root: Record<string, unknown> = Object.create(null);
  for (const { segments, value } of set) {
    let node = root;
    segments.forEach((seg, i) => {
      if (i === segments.length - 1) {
        node[seg] = value;
        return;
      }
      const next = Object.hasOwn(node, seg) ? node[seg] : undefined;
      if (next === null || typeof next !== 'object' || Array.isArray(next)) node[seg] = Object.create(null);
      node = node[seg] as Record<string, unknown>;
    });
  }
  return root;
}

/** `dir/app.yaml` + `production` -> `dir/app.production.yaml`. */
export function profileOverlayPath(path: string, profile: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${profile}${ext}`);
}

/** The profile in effect: `--profile`, else `$CONFSTACK_PROFILE`. */
export function effectiveProfile(global: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return global.profile ?? (env.CONFSTACK_PROFILE || undefined);
}

/** The providers for a load, highest priority first (see the module comment). */
export async function buildSources(global: GlobalOptions): Promise<Provider[]> {
  const profile = effectiveProfile(global);
  const sources: Provider[] = [];
  if (global.etcd !== undefined && global.etcdPrefix !== undefined) {
    // Loaded only when asked for: confstack/etcd pulls in the etcd3 client (gRPC).
    const { etcdProvider } = await import('../etcd/index.js');
    sources.push(etcdProvider({ endpoints: [global.etcd], prefix: global.etcdPrefix }));
  }
  if (global.set.length > 0) sources.push(memoryProvider(overridesTree(global.set), 'cli --set'));
  sources.push(envProvider({ prefix: global.envPrefix }));
  if (global.config.length > 0) {
    for (const path of [...global.config].reverse()) {
      // `-c dir/app.yaml --profile prod` also layers dir/app.prod.yaml (when present) over that file.
      if (profile) sources.push(fileProvider({ path: profileOverlayPath(path, profile), optional: true }));
      sources.push(fileProvider({ path }));
    }
  } else {
    sources.push(fileProvider({ configName: 'config', ...(profile ? { profile } : {}), optional: true }));
  }
  return sources;
}

/** Load options for a command: the sources above, the env prefix, and the profile. */
export async function buildLoadOptions(global: GlobalOptions, extra: Partial<LoadOptions> = {}): Promise<LoadOptions & { sources: Provider[] }> {
  const profile = effectiveProfile(global);
  return { ...extra, sources: await buildSources(global), envPrefix: global.envPrefix, ...(profile ? { profile } : {}) };
}

/** Closes every provider that holds resources (watchers, etcd clients); never throws. */
export async function closeSources(sources: readonly Provider[]): Promise<void> {
  await Promise.allSettled(sources.map((p) => p.close?.()));
}
