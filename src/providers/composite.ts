/**
 * compositeProvider, and loadStack(): the one place that loads a priority-ordered list of
 * providers and merges them (the loader uses it too). Unordered loads start at once; providers
 * that read the lower layers (env) run in turn, lowest priority first.
 */
import { ConfigError, ErrorCode, toConfigError } from '../foundation/errors.js';
import { withLayerParts, type SourceLayer } from '../tree/layer-values.js';
import { createMergeState, mergeLayerInto, mergeLayers, withOriginRefs, type MergeOptions, type MergeState } from '../tree/merge.js';
import { loadTimeoutOf, loadWithin } from './deadline.js';
import { defineProvider, type Layer, type LoadContext, type Provider, type SourceStatus } from './provider.js';

export interface CompositeProviderOptions {
  /** Skip providers that fail with a retryable error (reported in `sources()`). Default false. */
  fallback?: boolean;
  name?: string;
  /**
   * Bound on each child's load, in ms (`remote_load_timeout`, retryable: with `fallback` a hung
   * child is skipped). Local children are never timed. Default: none (the loader bounds the whole).
   */
  loadTimeoutMs?: number;
  /** @deprecated the same as `loadTimeoutMs`, its name before the option had one name everywhere. */
  timeoutMs?: number;
}

export interface LoadStackOptions {
  fallback?: boolean;
  merge?: MergeOptions;
  /** Bound on each provider's load; a provider that has not settled fails with remote_load_timeout. */
  loadTimeoutMs?: number | undefined;
  /** Wraps each provider load (telemetry). */
  around?: (provider: Provider, load: () => Promise<Layer>) => Promise<Layer>;
}

export interface StackResult {
  state: MergeState;
  /** Highest priority first, composites expanded into their children. */
  sources: SourceStatus[];
  /** The layers merged, highest priority first (references, kept intact by the merge). */
  layers: SourceLayer[];
}

type Settled = { ok: true; layer: Layer } | { ok: false; error: ConfigError };

function settle(p: Provider, run: () => Promise<Layer>): Promise<Settled> {
  return run().then(
    (layer) => ({ ok: true, layer }),
    (err: unknown) => ({
      ok: false,
      error: toConfigError(err, { op: 'load', code: ErrorCode.LoadFailed, message: `provider "${p.name}" failed to load`, provider: p.name }),
    }),
  );
}

function withTimeout(p: Provider, ctx: LoadContext, timeoutMs: number | undefined): Promise<Layer> {
  if (p.local || timeoutMs === undefined || !Number.isFinite(timeoutMs)) return p.load(ctx);
  return loadWithin(p, ctx, timeoutMs);
}

function isEmpty(values: Record<string, unknown>): boolean {
  for (const _ in values) return false;
  return true;
}

/**
 * Loads `providers` (highest priority first) and merges them, lowest first.
 * @throws ConfigError the first failing provider's error; with `fallback`, all_providers_failed
 *   when every provider failed
 */
export async function loadStack(providers: readonly Provider[], ctx: LoadContext, opts: LoadStackOptions = {}): Promise<StackResult> {
  const run = (p: Provider, c: LoadContext) => {
    const load = () => withTimeout(p, c, opts.loadTimeoutMs);
    return settle(p, opts.around ? () => opts.around!(p, load) : load);
  };
  // Start every load that does not need the lower layers now, so I/O overlaps.
  const early = providers.map((p) => (p.needsLower ? undefined : run(p, ctx)));
  const state = createMergeState();
  const statuses: SourceStatus[][] = new Array(providers.length);
  const merged: SourceLayer[] = [];
  const failures: ConfigError[] = [];
  const mergeOpts: MergeOptions = { ...opts.merge, ...(ctx.limits ? { limits: ctx.limits } : {}), ...(ctx.env ? { env: ctx.env } : {}) };
  let firstError: ConfigError | undefined;

  for (let i = providers.length - 1; i >= 0; i--) {
    const p = providers[i]!;
    let result: Settled;
    if (firstError) {
      // Keep going only to observe the early loads (no unhandled rejections); merge nothing.
      await early[i];
      continue;
    }
    if (p.needsLower) {
      const lower = ctx.lower && !isEmpty(ctx.lower) ? mergeLayers([{ values: state.values }, { values: ctx.lower as Record<string, unknown> }], mergeOpts).values : state.values;
      result = await run(p, { ...ctx, lower });
    } else result = await early[i]!;

    if (!result.ok) {
      // An aborted load is never skipped: the caller asked to stop, not to carry on without a source.
      if (opts.fallback && result.error.retryable && !ctx.signal?.aborted) {
        failures.push(result.error);
        statuses[i] = [{ name: p.name, type: p.type, status: 'skipped', error: result.error }];
        continue;
      }
      firstError = result.error;
      continue;
    }
    try {
      mergeLayerInto(state, result.layer, { ...mergeOpts, provider: p.name });
    } catch (err) {
      firstError = toConfigError(err, { op: 'merge', code: ErrorCode.InvalidConfig, message: `could not merge "${p.name}"`, provider: p.name });
      continue;
    }
    merged.push({ name: p.name, type: p.type, layer: result.layer });
    statuses[i] = result.layer.sources ?? [{ name: p.name, type: p.type, status: isEmpty(result.layer.values) ? 'empty' : 'loaded' }];
  }
  if (firstError) throw firstError;
  if (opts.fallback && providers.length > 0 && failures.length === providers.length) {
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.AllProvidersFailed,
      message: `all ${providers.length} providers failed`,
      cause: new AggregateError(failures, 'every provider failed'),
      issues: failures.map((f) => ({ path: '', message: f.message, code: f.code })),
      retryable: true,
    });
  }
  return { state, sources: statuses.flat(), layers: merged.reverse() };
}

/**
 * Several providers as one, in priority order (highest first).
 *
 * Gotchas: with `fallback: true`, a provider failing with a retryable error (unreachable etcd,
 * a timeout) is skipped and reported in `sources()`; a non-retryable failure (a syntax error)
 * still fails the load: a broken file is never silently ignored.
 * @throws ConfigError invalid_parameters (at once) for an empty list, as the Go package does: a
 *   composite of nothing would load `{}` and hide a wiring mistake, or a bad `loadTimeoutMs`
 *   (see loadTimeoutOf); all_providers_failed (on load)
 *   when fallback is on and every provider failed
 */
export function compositeProvider(providers: readonly Provider[], options: CompositeProviderOptions = {}): Provider {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new ConfigError({
      op: 'compositeProvider',
      code: ErrorCode.InvalidParameters,
      message: 'a composite provider needs at least one provider',
      ...(options.name !== undefined ? { provider: options.name } : {}),
    });
  }
  const list = [...providers];
  const loadTimeoutMs = loadTimeoutOf(options, 'timeoutMs', 'compositeProvider');
  const name = options.name ?? `composite(${list.map((p) => p.name).join(',')})`;
  const watchers = list.filter((p) => typeof p.watch === 'function');
  return defineProvider({
    name,
    type: 'composite',
    needsLower: list.some((p) => p.needsLower),
    local: list.every((p) => p.local),
    async load(ctx) {
      const { state, sources, layers } = await loadStack(list, ctx, {
        fallback: options.fallback ?? false,
        loadTimeoutMs,
      });
      return withLayerParts(withOriginRefs({ values: state.values, sources }, state.origins), layers);
    },
    ...(watchers.length > 0
      ? {
          watch(onChange: () => void) {
            const stops = watchers.map((p) => p.watch!(onChange));
            return () => stops.forEach((stop) => stop());
          },
        }
      : {}),
    async healthCheck(opts) {
      const results = await Promise.all(
        list.map(async (p) => (p.healthCheck ? p.healthCheck(opts).catch(() => ({ ok: false, message: 'health check failed' })) : { ok: true })),
      );
      const bad = results.map((r, i) => (r.ok ? undefined : list[i]!.name)).filter((n) => n !== undefined);
      if (bad.length === 0) return { ok: true };
      if (options.fallback && bad.length < list.length) return { ok: true, message: `degraded: ${bad.join(', ')} unhealthy` };
      return { ok: false, message: `unhealthy: ${bad.join(', ')}` };
    },
    async close() {
      await Promise.all(list.map((p) => p.close?.()));
    },
  });
}
