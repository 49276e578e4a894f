/**
 * HealthMonitor (provider, validation and reload health) and healthHandler (its HTTP endpoint).
 *
 * Owns the health rules. Everything it reports is a status, a count, a duration, a timestamp, a
 * source name or an error code with a ConfigError message (built from fields): never a config
 * value (RELIABILITY.md S5). A check can neither hang (timeoutMs) nor throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monotonicMs } from '../foundation/clock.js';
import { asConfigError, ConfigError, ErrorCode, toConfigError } from '../foundation/errors.js';
import { FigureWindow, type HealthFigures } from './figures.js';
import type { ConfigMetrics, HealthStatus } from './metrics.js';
import { AttributeNames, SpanNames } from './names.js';
import { errorType, quietly, withSpan } from './tracing.js';
import { withDeadline } from '../providers/deadline.js';
import type { Provider, SourceStatus } from '../providers/provider.js';
import { redactUrlCredentials } from '../foundation/secrets.js';

export type { HealthStatus } from './metrics.js';
export type { HealthFigures } from './figures.js';

/** Health of one provider. */
export interface ProviderHealth {
  status: HealthStatus;
  /** When it was last checked (or its last load recorded); registration time if never. */
  lastChecked: Date;
  /** Duration of the last check or recorded load. */
  responseTimeMs: number;
  /** Failures since registration. */
  errorCount: number;
  /** Successes / observations over the sliding window (1 when nothing is observed yet). */
  successRate: number;
  consecutiveErrors: number;
  /** The ConfigError message (`op: what (where) [code]`) of the last failure (kept after recovery, for the record). */
  lastError?: string;
  /** The code of the last failure (additive). */
  lastErrorCode?: string;
  /** Additive: latency percentiles, throughput, errors by code, time since the last success (checks and loads). */
  figures: HealthFigures;
}

/** One source's status from the last load, as health reports it (additive). */
export interface SourceHealth {
  name: string;
  type: string;
  status: SourceStatus['status'];
  /** The error code when skipped. */
  error?: string;
}

/** The whole picture. */
export interface HealthSummary {
  status: HealthStatus;
  providers: Record<string, ProviderHealth>;
  validation: { total: number; failed: number; successRate: number; lastIssueCount?: number; figures: HealthFigures };
  reload: {
    applied: number;
    rejected: number;
    lastError?: string;
    /** Additive: the outcome and time of the last reload, and the rejection's code. */
    lastOutcome?: 'applied' | 'rejected';
    lastReloadAt?: Date;
    lastErrorCode?: string;
    /** Additive: figures over applied and rejected reloads. */
    figures: HealthFigures;
  };
  /** Additive: the sources of the last load (`recordSources`). */
  sources: SourceHealth[];
  /** Additive: why the status is not healthy, one short line each (names and codes only). */
  reasons: string[];
  checkedAt: Date;
}

export interface HealthMonitorOptions {
  /** Where the `confstack.provider.health` gauge and `confstack.health.check` spans go. Default: none. */
  metrics?: ConfigMetrics;
  /** Observations kept per provider (and for validation and reload) for the success rate and the latency percentiles. Default 100. */
  windowSize?: number;
  /** A check that takes longer is a failure (`remote_load_timeout`). Default 5000. */
  timeoutMs?: number;
}

/** The thresholds of the health rules (see {@link HealthMonitor}). */
export const HealthThresholds = {
  unhealthyConsecutiveErrors: 3,
  unhealthySuccessRate: 0.5,
  degradedSuccessRate: 0.9,
} as const;

interface ProviderState {
  provider: Provider;
  registeredAt: Date;
  window: boolean[];
  successes: number;
  errorCount: number;
  consecutiveErrors: number;
  lastChecked?: Date;
  responseTimeMs: number;
  lastOk?: boolean;
  lastTimedOut: boolean;
  lastError?: string;
  lastErrorCode?: string;
  inflight?: Promise<ProviderHealth>;
  figures: FigureWindow;
}

// The subjects of the figures besides providers, in the `confstack.health.last_success_age` gauge.
const SUBJECT_VALIDATION = 'validation';
const SUBJECT_RELOAD = 'reload';

const STATUS_RANK: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** How many separate runs of failures `window` holds (an outage is one run, flapping several). */
function failureRuns(window: readonly boolean[]): number {
  let runs = 0;
  for (let i = 0; i < window.length; i++) if (!window[i] && (i === 0 || window[i - 1])) runs++;
  return runs;
}

/** A ConfigError's message (it ends in `[code]`); the code alone for anything else (its text is not ours). */
function describeFailure(err: unknown): { text: string; code: string } {
  const code = errorType(err);
  const cfg = asConfigError(err);
  return { text: cfg !== undefined ? cfg.message : code, code };
}

/** Provider-authored health messages: one line, bounded; URL passwords masked before the cut, which could split a URL. */
function scrubMessage(msg: string): string {
  return redactUrlCredentials(msg.replace(/[\u0000-\u001f\u007f]+/g, ' ')).slice(0, 200);
}

/**
 * Tracks the health of providers, validation and reloads.
 *
 * **Provider rules** (over the last `windowSize` observations: checks and recorded loads):
 * - *unhealthy* if it failed 3 or more times in a row, or its last check timed out, or its last
 *   check failed and its success rate is below 50%;
 * - *degraded* if its last check failed, or its success rate is below 90% with more than one run
 *   of failures in the window (flapping); one outage that ended is not held against it, so a
 *   provider is *healthy* again on the first good check after it recovers;
 * - *healthy* otherwise, including before its first observation (no evidence of failure).
 *
 * **Summary rules**: the worst provider status, raised to at least *degraded* while
 * (a) the last reload was rejected (until the next applied reload), (b) the last recorded sources
 * (`recordSources`) include a `skipped` one (until sources are recorded without one, i.e. the next
 * good load or reload), or (c) the last validation failed (until one passes). `reasons` lists why.
 *
 * **Checks**: a provider with `healthCheck` is checked with it (`{ ok: false }` or a throw is a
 * failure, `provider_unavailable`); one without is checked by calling `load()` (the only honest
 * probe of a file or env source; the result is discarded). Either way the check gets an
 * AbortSignal and is bounded by `timeoutMs`: a hanging check becomes a `remote_load_timeout`
 * failure (unhealthy), its signal is aborted and its timer cleared. Concurrent checks of one
 * provider share one run. `checkProvider` and `checkAll` never reject for a failing provider.
 *
 * The monitor feeds `metrics.setProviderHealth` (the `confstack.provider.health` gauge) on register
 * and after every observation, and `metrics.setLastSuccess` (the `confstack.health.last_success_age`
 * gauge) after every success, and wraps each check in a `confstack.health.check` span. It records no
 * other metrics: the loader and reload record their own (durations in `confstack.operation.duration`,
 * failures by code in `confstack.errors`).
 *
 * **Figures** (`figures` of each provider, of `validation` and of `reload`): latency p50/p95/p99
 * and throughput over the last `windowSize` observations, failures by error code and time since
 * the last success; bounded memory whatever the traffic.
 */
export class HealthMonitor {
  private readonly metrics: ConfigMetrics | undefined;
  private readonly windowSize: number;
  private readonly timeoutMs: number;
  private readonly states = new Map<string, ProviderState>();
  private validationTotal = 0;
  private validationFailed = 0;
  private lastValidationOk: boolean | undefined;
  private lastIssueCount: number | undefined;
  private reloadApplied = 0;
  private reloadRejected = 0;
  private lastReloadOutcome: 'applied' | 'rejected' | undefined;
  private lastReloadAt: Date | undefined;
  private lastReloadError: { text: string; code: string } | undefined;
  private sources: SourceHealth[] = [];
  private validationFigures!: FigureWindow;
  private reloadFigures!: FigureWindow;

  constructor(options: HealthMonitorOptions = {}) {
    const { metrics, windowSize = 100, timeoutMs = 5000 } = options;
    if (!Number.isInteger(windowSize) || windowSize < 1) {
      throw new ConfigError({
        op: 'health',
        code: ErrorCode.InvalidParameters,
        message: 'windowSize must be a positive integer',
        location: { key: 'windowSize' },
      });
    }
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new ConfigError({
        op: 'health',
        code: ErrorCode.InvalidParameters,
        message: 'timeoutMs must be a positive finite number',
        location: { key: 'timeoutMs' },
      });
    }
    this.metrics = metrics;
    this.windowSize = windowSize;
    this.timeoutMs = timeoutMs;
    this.validationFigures = new FigureWindow(windowSize);
    this.reloadFigures = new FigureWindow(windowSize);
  }

  /** Starts tracking `provider` (by name). Registering a name again replaces the provider, keeping its history. */
  register(provider: Provider): void {
    const existing = this.states.get(provider.name);
    if (existing !== undefined) {
      existing.provider = provider;
      return;
    }
    this.states.set(provider.name, {
      provider,
      registeredAt: new Date(),
      window: [],
      successes: 0,
      errorCount: 0,
      consecutiveErrors: 0,
      responseTimeMs: 0,
      lastTimedOut: false,
      figures: new FigureWindow(this.windowSize),
    });
    this.publish(provider.name, 'healthy');
  }

  /** The names of the registered providers. */
  providers(): string[] {
    return [...this.states.keys()];
  }

  /**
   * Checks one provider now. Rejects only with `provider_not_found` for a name never registered;
   * a failing provider resolves with its (degraded or unhealthy) health.
   */
  checkProvider(name: string): Promise<ProviderHealth> {
    const state = this.states.get(name);
    if (state === undefined) {
      return Promise.reject(
        new ConfigError({
          op: 'health',
          code: ErrorCode.ProviderNotFound,
          message: `provider "${name}" is not registered with the health monitor`,
          provider: name,
        }),
      );
    }
    return (state.inflight ??= this.runCheck(state).finally(() => {
      state.inflight = undefined;
    }));
  }

  /** Checks every registered provider (concurrently), then returns the summary. Never rejects. */
  async checkAll(): Promise<HealthSummary> {
    await Promise.all([...this.states.keys()].map((name) => this.checkProvider(name).catch(() => undefined)));
    return this.summary();
  }

  /** The current picture, without checking anything. */
  summary(): HealthSummary {
    const reasons: string[] = [];
    let status: HealthStatus = 'healthy';
    const providers: [string, ProviderHealth][] = [];
    for (const [rawName, state] of this.states) {
      // A provider or source name may be a URL with a password: masked wherever the summary shows it.
      const name = redactUrlCredentials(rawName);
      const h = this.snapshot(state);
      providers.push([name, h]);
      if (h.status !== 'healthy') reasons.push(`provider ${name} ${h.status}${h.lastErrorCode ? ` (${h.lastErrorCode})` : ''}`);
      status = worst(status, h.status);
    }
    if (this.lastReloadOutcome === 'rejected') {
      reasons.push(`last reload rejected${this.lastReloadError ? ` (${this.lastReloadError.code})` : ''}`);
      status = worst(status, 'degraded');
    }
    for (const s of this.sources) {
      if (s.status === 'skipped') {
        reasons.push(`source ${s.name} skipped${s.error ? ` (${s.error})` : ''}`);
        status = worst(status, 'degraded');
      }
    }
    if (this.lastValidationOk === false) {
      reasons.push('last validation failed');
      status = worst(status, 'degraded');
    }
    const reload: HealthSummary['reload'] = { applied: this.reloadApplied, rejected: this.reloadRejected, figures: this.reloadFigures.figures() };
    if (this.lastReloadError !== undefined) {
      reload.lastError = this.lastReloadError.text;
      reload.lastErrorCode = this.lastReloadError.code;
    }
    if (this.lastReloadOutcome !== undefined) reload.lastOutcome = this.lastReloadOutcome;
    if (this.lastReloadAt !== undefined) reload.lastReloadAt = new Date(this.lastReloadAt);
    const validation: HealthSummary['validation'] = {
      total: this.validationTotal,
      failed: this.validationFailed,
      successRate: this.validationTotal === 0 ? 1 : (this.validationTotal - this.validationFailed) / this.validationTotal,
      figures: this.validationFigures.figures(),
    };
    if (this.lastIssueCount !== undefined) validation.lastIssueCount = this.lastIssueCount;
    return {
      status,
      providers: Object.fromEntries(providers),
      validation,
      reload,
      sources: this.sources.map((s) => ({ ...s })),
      reasons,
      checkedAt: new Date(),
    };
  }

  /** Records one schema validation. */
  recordValidation(success: boolean, durationMs: number, issueCount: number): void {
    this.validationFigures.observe(success, durationMs, success ? undefined : ErrorCode.ValidationFailed);
    this.publishSuccess(SUBJECT_VALIDATION, this.validationFigures);
    this.validationTotal++;
    if (!success) this.validationFailed++;
    this.lastValidationOk = success;
    this.lastIssueCount = Number.isFinite(issueCount) ? issueCount : undefined;
  }

  /**
   * Records one reload attempt. A rejected one (`applied` false) keeps the summary at least
   * degraded until the next applied one; `error` is reported as its code and ConfigError message.
   */
  recordReload(applied: boolean, durationMs: number, error?: unknown): void {
    this.lastReloadAt = new Date();
    if (applied) {
      this.reloadApplied++;
      this.lastReloadOutcome = 'applied';
      this.reloadFigures.observe(true, durationMs);
    } else {
      this.reloadRejected++;
      this.lastReloadOutcome = 'rejected';
      this.lastReloadError = describeFailure(error ?? new ConfigError({ op: 'reload', code: ErrorCode.ReloadRejected, message: 'reload rejected' }));
      this.reloadFigures.observe(false, durationMs, this.lastReloadError.code);
    }
    this.publishSuccess(SUBJECT_RELOAD, this.reloadFigures);
  }

  /**
   * Records the sources of the last good load or reload (`config.sources()`), replacing the previous
   * set. A `skipped` one keeps the summary at least degraded until sources are recorded without one.
   */
  recordSources(sources: readonly SourceStatus[]): void {
    this.sources = sources.map((s) => {
      const out: SourceHealth = { name: redactUrlCredentials(s.name), type: s.type, status: s.status };
      if (s.error !== undefined) out.error = errorType(s.error);
      return out;
    });
  }

  /**
   * Records the outcome of a real load of a registered provider (the loader feeds these), as an
   * observation like a check. Unknown names are ignored.
   */
  recordProviderLoad(name: string, success: boolean, durationMs: number, error?: unknown): void {
    const state = this.states.get(name);
    if (state === undefined) return;
    this.observe(state, success, durationMs, error, false);
  }

  private async runCheck(state: ProviderState): Promise<ProviderHealth> {
    const { provider } = state;
    const started = monotonicMs();
    let ok = true;
    let failure: unknown;
    let timedOut = false;
    try {
      await withSpan(
        this.metrics,
        SpanNames.HealthCheck,
        { [AttributeNames.Provider]: provider.name, [AttributeNames.ProviderType]: provider.type },
        async (span) => {
          await withDeadline((signal) => this.probe(provider, signal), {
            timeoutMs: this.timeoutMs,
            onTimeout: () => {
              timedOut = true;
              return this.timeoutError(provider.name);
            },
          });
          quietly(() => span.setAttribute(AttributeNames.HealthStatus, 'ok'));
        },
      );
    } catch (err) {
      ok = false;
      failure = err;
    }
    this.observe(state, ok, monotonicMs() - started, failure, timedOut);
    return this.snapshot(state);
  }

  /** The check itself (healthCheck, else a load whose result is dropped); rejects with a ConfigError. */
  private async probe(provider: Provider, signal: AbortSignal): Promise<void> {
    try {
      if (typeof provider.healthCheck === 'function') {
        const result = await provider.healthCheck({ signal });
        if (result === null || typeof result !== 'object' || result.ok !== true) {
          const msg = result && typeof result.message === 'string' ? `: ${scrubMessage(result.message)}` : '';
          throw new ConfigError({
            op: 'health',
            code: ErrorCode.ProviderUnavailable,
            message: `health check failed${msg}`,
            provider: provider.name,
          });
        }
      } else {
        await provider.load({ signal });
      }
    } catch (err) {
      throw toConfigError(err, {
        op: 'health',
        code: ErrorCode.ProviderUnavailable,
        message: 'health check failed',
        provider: provider.name,
      });
    }
  }

  private timeoutError(provider: string): ConfigError {
    return new ConfigError({
      op: 'health',
      code: ErrorCode.RemoteLoadTimeout,
      message: `health check timed out after ${this.timeoutMs}ms`,
      provider,
      retryable: true,
    });
  }

  private observe(state: ProviderState, ok: boolean, durationMs: number, error: unknown, timedOut: boolean): void {
    state.window.push(ok);
    if (ok) state.successes++;
    if (state.window.length > this.windowSize && state.window.shift() === true) state.successes--;
    state.lastChecked = new Date();
    state.responseTimeMs = Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : 0;
    state.lastOk = ok;
    state.lastTimedOut = !ok && timedOut;
    if (ok) {
      state.consecutiveErrors = 0;
      state.figures.observe(true, durationMs);
    } else {
      state.errorCount++;
      state.consecutiveErrors++;
      const f = describeFailure(error ?? new ConfigError({ op: 'health', code: ErrorCode.ProviderUnavailable, message: 'failed' }));
      state.lastError = f.text;
      state.lastErrorCode = f.code;
      state.figures.observe(false, durationMs, f.code);
    }
    this.publish(state.provider.name, this.statusOf(state));
    this.publishSuccess(state.provider.name, state.figures);
  }

  private statusOf(state: ProviderState): HealthStatus {
    if (state.lastOk === undefined) return 'healthy';
    const rate = state.window.length === 0 ? 1 : state.successes / state.window.length;
    if (state.consecutiveErrors >= HealthThresholds.unhealthyConsecutiveErrors) return 'unhealthy';
    if (state.lastTimedOut) return 'unhealthy';
    if (!state.lastOk && rate < HealthThresholds.unhealthySuccessRate) return 'unhealthy';
    if (!state.lastOk || (rate < HealthThresholds.degradedSuccessRate && failureRuns(state.window) > 1)) return 'degraded';
    return 'healthy';
  }

  private snapshot(state: ProviderState): ProviderHealth {
    const h: ProviderHealth = {
      status: this.statusOf(state),
      lastChecked: new Date(state.lastChecked ?? state.registeredAt),
      responseTimeMs: state.responseTimeMs,
      errorCount: state.errorCount,
      successRate: state.window.length === 0 ? 1 : state.successes / state.window.length,
      consecutiveErrors: state.consecutiveErrors,
      figures: state.figures.figures(),
    };
    if (state.lastError !== undefined) h.lastError = state.lastError;
    if (state.lastErrorCode !== undefined) h.lastErrorCode = state.lastErrorCode;
    return h;
  }

  /** Feeds the `confstack.health.last_success_age` gauge (providers by name, `validation`, `reload`). */
  private publishSuccess(subject: string, figures: FigureWindow): void {
    const at = figures.lastSuccess;
    if (at === undefined) return;
    // A provider named by a URL keeps its password out of the metric (as `confstack.provider` does).
    quietly(() => this.metrics?.setLastSuccess?.(redactUrlCredentials(subject), at));
  }

  private publish(name: string, status: HealthStatus): void {
    quietly(() => this.metrics?.setProviderHealth(name, status));
  }
}

export interface HealthHandlerOptions {
  /**
   * Serve a summary up to this old without re-checking (ms). Default 0: every request runs
   * `checkAll()` (concurrent requests share one run).
   */
  maxAgeMs?: number;
}

/**
 * An HTTP handler for `node:http` (and Express, or Fastify via `reply.hijack()` with
 * `request.raw`/`reply.raw`): GET or HEAD answers the health summary as JSON (Dates as ISO
 * strings), 200 when healthy or degraded, 503 when unhealthy; other methods get 405.
 * Each request runs `monitor.checkAll()` unless a summary younger than `maxAgeMs` is at hand;
 * concurrent requests share one run.
 * @example
 * http.createServer(healthHandler(monitor)).listen(8081);
 */
export function healthHandler(
  monitor: HealthMonitor,
  options: HealthHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxAgeMs = options.maxAgeMs ?? 0;
  let cached: { at: number; summary: HealthSummary } | undefined;
  let inflight: Promise<HealthSummary> | undefined;

  const current = (): Promise<HealthSummary> => {
    if (cached !== undefined && maxAgeMs > 0 && Date.now() - cached.at < maxAgeMs) return Promise.resolve(cached.summary);
    return (inflight ??= monitor
      .checkAll()
      .then((summary) => {
        cached = { at: Date.now(), summary };
        return summary;
      })
      .finally(() => {
        inflight = undefined;
      }));
  };

  const send = (req: IncomingMessage, res: ServerResponse, code: number, body: unknown): void => {
    try {
      write(req, res, code, body);
    } catch {
      // The client went away, or the body would not serialise: nothing left to tell anyone.
      res.destroy();
    }
  };

  const write = (req: IncomingMessage, res: ServerResponse, code: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.statusCode = code;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-length', Buffer.byteLength(text));
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(req, res, 405, { error: 'method not allowed' });
      return;
    }
    current().then(
      (summary) => send(req, res, summary.status === 'unhealthy' ? 503 : 200, summary),
      () => send(req, res, 503, { status: 'unhealthy', reasons: ['health check failed'] }),
    );
  };
}
