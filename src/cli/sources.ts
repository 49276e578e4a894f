/**
 * Turns the CLI's global options into the provider list of a load, highest priority first:
 * etcd (`--etcd`) > `--set` overrides > env > `-c` files (last given first) > schema defaults.
 * Without `-c` the default search (`./config`, `.` for `config.{yaml,yml,json,toml}`) is used, or the
 * project file's `configName`/`configPaths` (relative to the project file); a project that lists its
 * own `sources` gets them instead of env and files (`--set` and `--etcd` still layer on top).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import type { LoadOptions } from '../core/load.js';
import { envProvider } from '../providers/env.js';
import { fileProvider } from '../providers/file.js';
import { memoryProvider } from '../providers/memory.js';
import type { Provider } from '../providers/provider.js';
import type { GlobalOptions, SetOverride } from './args.js';
import { projectRoot, type Project } from './project.js';

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

/** The profile in effect: `--profile`, else the project's, else `$CONFSTACK_PROFILE`. */
export function effectiveProfile(global: GlobalOptions, env: NodeJS.ProcessEnv = process.env, project?: Project): string | undefined {
  return global.profile ?? project?.options.profile ?? (env.CONFSTACK_PROFILE || undefined);
}

/** The env prefix in effect: `--env-prefix`, else the project's, else `CONFSTACK`. */
export function effectiveEnvPrefix(global: GlobalOptions, project?: Project): string {
  return global.explicitEnvPrefix ? global.envPrefix : (project?.options.envPrefix ?? global.envPrefix);
}

/** The providers for a load, highest priority first (see the module comment). */
export async function buildSources(global: GlobalOptions, project?: Project): Promise<Provider[]> {
  const p = project?.options;
  const profile = effectiveProfile(global, process.env, project);
  const sources: Provider[] = [];
  if (p?.sources && global.config.length > 0) {
    throw new ConfigError({
      op: 'cli',
      code: ErrorCode.InvalidParameters,
      message: '-c cannot be combined with a project file that lists its own sources',
      location: { file: project!.file },
    });
  }
  if (global.etcd !== undefined && global.etcdPrefix !== undefined) {
    // Loaded only when asked for: confstack/etcd pulls in the etcd3 client (gRPC).
    const { etcdProvider } = await import('../remote/etcd/index.js');
    sources.push(etcdProvider({ endpoints: [global.etcd], prefix: global.etcdPrefix }));
  }
  if (global.set.length > 0) sources.push(memoryProvider(overridesTree(global.set), 'cli --set'));
  if (p?.sources) return [...sources, ...p.sources];
  sources.push(envProvider({ prefix: effectiveEnvPrefix(global, project), ...(p?.env ? { env: { ...p.env } } : {}) }));
  if (global.config.length > 0) {
    for (const path of [...global.config].reverse()) {
      // `-c dir/app.yaml --profile prod` also layers dir/app.prod.yaml (when present) over that file.
      if (profile) sources.push(fileProvider({ path: profileOverlayPath(path, profile), optional: true }));
      sources.push(fileProvider({ path }));
    }
  } else {
    if (!project) sources.push(fileProvider({ configName: 'config', ...(profile ? { profile } : {}), optional: true }));
    else {
      // A project's relative search paths belong to the project: resolve them against its directory.
      // Its own configPaths must exist (as in the app's load); the default ones only where they do.
      const root = projectRoot(project);
      const configPaths = p?.configPaths
        ? p.configPaths.map((dir) => resolve(root, dir))
        : ['./config', '.'].map((dir) => resolve(root, dir)).filter((dir) => existsSync(dir));
      sources.push(fileProvider({ configName: p?.configName ?? 'config', configPaths, ...(profile ? { profile } : {}), optional: true }));
    }
  }
  return sources;
}

/** Load options for a command: the project's options, the sources above, the env prefix and the profile. */
export async function buildLoadOptions(global: GlobalOptions, extra: Partial<LoadOptions> = {}, project?: Project): Promise<LoadOptions & { sources: Provider[] }> {
  const profile = effectiveProfile(global, process.env, project);
  return {
    ...project?.options,
    ...extra,
    sources: await buildSources(global, project),
    envPrefix: effectiveEnvPrefix(global, project),
    ...(profile ? { profile } : {}),
  };
}

/** Closes every provider that holds resources (watchers, etcd clients); never throws. */
export async function closeSources(sources: readonly Provider[]): Promise<void> {
  await Promise.allSettled(sources.map((p) => p.close?.()));
}
