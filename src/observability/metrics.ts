/**
 * ConfigMetrics: the instrument surface used by the loader, registry, health and reload, and its
 * OpenTelemetry implementation on `@opentelemetry/api` only (the app brings its SDK).
 *
 * Owns: instrument creation (late, see below), the global metrics slot, and exception safety:
 * a telemetry failure (an SDK, exporter or user implementation that throws) never reaches the
 * caller, because telemetry must never break loading (RELIABILITY.md H3).
 *
 * Get the meter late (STYLE.md 3.8): OTel JS has no proxy MeterProvider, so a meter taken before
 * the app registers its SDK stays no-op forever. Nothing here touches the meter at import or at
 * `createMetrics()`; instruments are built at the first record, and metrics that follow the global
 * provider re-resolve it on every record (an identity check) and rebuild their instruments when the
 * app registers (or replaces) its SDK.
 */
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  ObservableResult,
  ProxyTracerProvider,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { otel, otelRegistered } from './otel.js';
import { redactUrlCredentials } from '../foundation/secrets.js';
import {
  AttributeNames,
  HealthGaugeValues,
  INSTRUMENTATION_SCOPE,
  InstrumentNames,
  InstrumentUnits,
  Operations,
  Outcomes,
} from './names.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Attribute values accepted on operations: names, formats, counts and codes, never config values. */
export type MetricAttributes = Record<string, string | number | boolean>;

/**
 * What the loader, registry, health monitor and live reload record. Implementations must not throw;
 * wrap a foreign one with {@link safeMetrics}.
 *
 * Division of labour (so nothing is counted twice): `withSpan` (tracing.ts) records the span plus
 * `recordOperation` and, on failure, `recordError` for each step it wraps. `recordValidation` only
 * counts validations and issues; `recordReload` only counts reload outcomes; `recordLoad` is
 * `recordOperation('provider.load', …)` for callers that do not use `withSpan`.
 */
export interface ConfigMetrics {
  /** Counts one operation (`confstack.operations`) and records its duration in seconds. */
  recordOperation(operation: string, durationMs: number, success: boolean, attrs?: MetricAttributes): void;
  /** A provider load, as an operation `provider.load` with provider and format attributes. */
  recordLoad(provider: string, format: string, durationMs: number, success: boolean): void;
  /** Counts one validation (`confstack.validations`) and its issues (`confstack.validation.issues`). */
  recordValidation(provider: string, success: boolean, issueCount: number, durationMs: number): void;
  /** Counts one error (`confstack.errors`) with `error.type` = the code. */
  recordError(code: string, operation: string, provider?: string): void;
  /** Counts one reload (`confstack.reloads`); `code` (optional, additive) is the rejection's code. */
  recordReload(outcome: 'applied' | 'rejected' | 'unchanged', code?: string): void;
  /** Sets the `confstack.provider.health` gauge for one provider. */
  setProviderHealth(provider: string, status: HealthStatus): void;
  /**
   * Optional (additive): the last success (epoch ms) of a provider, `validation` or `reload`, for
   * the `confstack.health.last_success_age` gauge (seconds since, observed at collection time).
   */
  setLastSuccess?(subject: string, at: number): void;
  /**
   * The tracer spans go to (additive). Absent: `withSpan` uses the global tracer, which is a
   * no-op until the app registers an SDK.
   */
  readonly tracer?: Tracer;
}

/** Options of {@link createMetrics}. Both default to the global OpenTelemetry providers. */
export interface CreateMetricsOptions {
  meterProvider?: MeterProvider;
  tracerProvider?: TracerProvider;
}

// The API's own no-op singletons, built on first use (the API loads lazily, see otel.ts): a tracer
// that never records (from a ProxyTracerProvider never given a delegate), that provider's no-op
// delegate, and the meter every NoopMeterProvider hands out. The last two are recognised by identity.
let noops: { tracer: Tracer; tracerProvider: TracerProvider; meter: Meter } | undefined;
function apiNoops(): NonNullable<typeof noops> {
  if (noops === undefined) {
    const api = otel();
    const proxy = new api.ProxyTracerProvider();
    noops = { tracer: proxy.getTracer(INSTRUMENTATION_SCOPE), tracerProvider: proxy.getDelegate(), meter: api.createNoopMeter() };
  }
  return noops;
}

const NOOP: ConfigMetrics = Object.freeze({
  recordOperation() {},
  recordLoad() {},
  recordValidation() {},
  recordError() {},
  recordReload() {},
  setProviderHealth() {},
  setLastSuccess() {},
  get tracer(): Tracer {
    return apiNoops().tracer;
  },
});

/** Metrics that record nothing, and whose tracer records no spans either. */
export function noOpMetrics(): ConfigMetrics {
  return NOOP;
}

// Seconds; config operations take from tens of microseconds (a warm load) to seconds (remote).
const DURATION_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The counters: instrument name, description, unit. */
const COUNTERS = {
  operations: [InstrumentNames.Operations, 'Configuration operations (load, provider load, validate, reload, registry create, health check)', InstrumentUnits.Operations],
  errors: [InstrumentNames.Errors, 'Configuration errors by code (error.type)', InstrumentUnits.Errors],
  validations: [InstrumentNames.Validations, 'Schema validations by outcome', InstrumentUnits.Validations],
  issues: [InstrumentNames.ValidationIssues, 'Validation issues found', InstrumentUnits.ValidationIssues],
  reloads: [InstrumentNames.Reloads, 'Live reloads by outcome (applied, rejected, unchanged)', InstrumentUnits.Reloads],
} as const satisfies Record<string, readonly [string, string, string]>;
type CounterKey = keyof typeof COUNTERS;

interface Instruments {
  readonly provider: MeterProvider;
  readonly operations: Counter;
  readonly errors: Counter;
  readonly validations: Counter;
  readonly issues: Counter;
  readonly reloads: Counter;
  readonly duration: Histogram;
}

const noopMeterProviders = new WeakMap<MeterProvider, boolean>();

function isNoopTracerProvider(provider: TracerProvider): boolean {
  const getDelegate = (provider as Partial<ProxyTracerProvider>).getDelegate;
  return typeof getDelegate === 'function' && getDelegate.call(provider) === apiNoops().tracerProvider;
}

function isNoopMeterProvider(provider: MeterProvider): boolean {
  let noop = noopMeterProviders.get(provider);
  if (noop === undefined) {
    // Probed once per provider object; an SDK provider just hands out (and caches) a real meter.
    noop = provider.getMeter(INSTRUMENTATION_SCOPE) === apiNoops().meter;
    noopMeterProviders.set(provider, noop);
  }
  return noop;
}

/**
 * True when `metrics` is known to record nothing at all (spans included): `noOpMetrics()`, or the
 * default metrics while the app has registered no OTel SDK. Used by withSpan to skip its work, so
 * the default path costs next to nothing. A user's own implementation is never inactive.
 * @internal
 */
export function isInactive(metrics: ConfigMetrics): boolean {
  if (metrics === NOOP) return true;
  if (metrics instanceof OtelMetrics) {
    try {
      return metrics.inactive;
    } catch {
      return false;
    }
  }
  return false;
}

/** The OTel implementation; state shared by its gauges lives here, instruments are built late. */
class OtelMetrics implements ConfigMetrics {
  private instruments: Instruments | undefined;
  private cachedTracer: Tracer | undefined;
  private readonly health = new Map<string, HealthStatus>();
  private readonly lastSuccess = new Map<string, number>();
  private lastReload: 0 | 1 | undefined;

  constructor(
    private readonly meterProvider: MeterProvider | undefined,
    private readonly tracerProvider: TracerProvider | undefined,
  ) {}

  /**
   * True when neither a meter nor a tracer could record anything: no providers were given and the
   * app has registered no SDK. withSpan then skips all span and metric work (the default path).
   */
  get inactive(): boolean {
    if (this.meterProvider !== undefined || this.tracerProvider !== undefined) return false;
    if (!otelRegistered()) return true; // nothing registered yet: no need to even load the API
    const api = otel();
    return isNoopTracerProvider(api.trace.getTracerProvider()) && isNoopMeterProvider(api.metrics.getMeterProvider());
  }

  get tracer(): Tracer {
    // The global tracer is re-resolved each time (cheap): a ProxyTracer keeps the first delegate
    // it finds, so a cached one would miss an SDK the app replaces (or registers after a reset).
    if (this.tracerProvider === undefined) return otel().trace.getTracer(INSTRUMENTATION_SCOPE);
    return (this.cachedTracer ??= this.tracerProvider.getTracer(INSTRUMENTATION_SCOPE));
  }

  /** The instruments, or undefined while nothing could record (see `inactive`; the API stays unloaded). */
  private get live(): Instruments | undefined {
    return this.inactive ? undefined : this.ins;
  }

  private get ins(): Instruments {
    const provider = this.meterProvider ?? otel().metrics.getMeterProvider();
    if (this.instruments === undefined || this.instruments.provider !== provider) {
      this.instruments = this.build(provider);
    }
    return this.instruments;
  }

  private build(provider: MeterProvider): Instruments {
    const meter: Meter = provider.getMeter(INSTRUMENTATION_SCOPE);
    const health = meter.createObservableGauge(InstrumentNames.ProviderHealth, {
      description: 'Health of each registered provider: 1 healthy, 0.5 degraded, 0 unhealthy',
      unit: InstrumentUnits.ProviderHealth,
    });
    health.addCallback((result: ObservableResult) => {
      for (const [name, status] of this.health) {
        result.observe(HealthGaugeValues[status], { [AttributeNames.Provider]: name });
      }
    });
    const lastReload = meter.createObservableGauge(InstrumentNames.ReloadLastSuccess, {
      description: '1 if the last reload was applied or unchanged, 0 if it was rejected',
      unit: InstrumentUnits.ReloadLastSuccess,
    });
    lastReload.addCallback((result: ObservableResult) => {
      if (this.lastReload !== undefined) result.observe(this.lastReload);
    });
    const successAge = meter.createObservableGauge(InstrumentNames.LastSuccessAge, {
      description: 'Seconds since the last success of each provider, of validation and of reload',
      unit: InstrumentUnits.LastSuccessAge,
    });
    successAge.addCallback((result: ObservableResult) => {
      const now = Date.now();
      for (const [subject, at] of this.lastSuccess) result.observe(Math.max(0, now - at) / 1000, { [AttributeNames.HealthSubject]: subject });
    });
    const counter = (key: CounterKey): Counter => {
      const [name, description, unit] = COUNTERS[key];
      return meter.createCounter(name, { description, unit });
    };
    return {
      provider,
      operations: counter('operations'),
      errors: counter('errors'),
      validations: counter('validations'),
      issues: counter('issues'),
      reloads: counter('reloads'),
      duration: meter.createHistogram(InstrumentNames.OperationDuration, {
        description: 'Duration of configuration operations',
        unit: InstrumentUnits.OperationDuration,
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
    };
  }

  recordOperation(operation: string, durationMs: number, success: boolean, attrs?: MetricAttributes): void {
    try {
      const a: Attributes = {
        ...attrs,
        [AttributeNames.Operation]: operation,
        [AttributeNames.Outcome]: success ? Outcomes.Success : Outcomes.Failure,
      };
      const provider = a[AttributeNames.Provider];
      if (typeof provider === 'string') a[AttributeNames.Provider] = redactUrlCredentials(provider);
      const ins = this.live;
      if (ins === undefined) return;
      ins.operations.add(1, a);
      if (Number.isFinite(durationMs) && durationMs >= 0) ins.duration.record(durationMs / 1000, a);
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }

  recordLoad(provider: string, format: string, durationMs: number, success: boolean): void {
    const attrs: MetricAttributes = { [AttributeNames.Provider]: provider };
    if (format) attrs[AttributeNames.Format] = format;
    this.recordOperation(Operations.ProviderLoad, durationMs, success, attrs);
  }

  recordValidation(provider: string, success: boolean, issueCount: number, _durationMs: number): void {
    try {
      const ins = this.live;
      if (ins === undefined) return;
      const a: Attributes = {
        [AttributeNames.Provider]: redactUrlCredentials(provider),
        [AttributeNames.Outcome]: success ? Outcomes.Success : Outcomes.Failure,
      };
      ins.validations.add(1, a);
      if (Number.isFinite(issueCount) && issueCount > 0) ins.issues.add(issueCount, a);
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }

  recordError(code: string, operation: string, provider?: string): void {
    try {
      const a: Attributes = { [AttributeNames.ErrorType]: code, [AttributeNames.Operation]: operation };
      if (provider !== undefined) a[AttributeNames.Provider] = redactUrlCredentials(provider);
      this.live?.errors.add(1, a);
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }

  recordReload(outcome: 'applied' | 'rejected' | 'unchanged', code?: string): void {
    try {
      this.lastReload = outcome === 'rejected' ? 0 : 1;
      const a: Attributes = { [AttributeNames.Outcome]: outcome };
      if (code !== undefined) a[AttributeNames.ErrorType] = code;
      this.live?.reloads.add(1, a);
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }

  setLastSuccess(subject: string, at: number): void {
    try {
      this.lastSuccess.set(redactUrlCredentials(subject), at);
      void this.live;
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }

  setProviderHealth(provider: string, status: HealthStatus): void {
    try {
      this.health.set(redactUrlCredentials(provider), status);
      // Build the instruments (and so register the gauge) if nothing has been recorded yet.
      void this.live;
    } catch {
      // Telemetry never breaks the operation it observes.
    }
  }
}

/**
 * Metrics (and traces) on OpenTelemetry. Without options, they follow the global providers: a no-op
 * until the app registers an SDK, and live from the first record after it does.
 * @example
 * const metrics = createMetrics({ meterProvider, tracerProvider });
 * await loadConfig({ metrics });
 */
export function createMetrics(options: CreateMetricsOptions = {}): ConfigMetrics {
  return new OtelMetrics(options.meterProvider, options.tracerProvider);
}

let globalMetrics: ConfigMetrics | undefined;

/** The process-wide metrics: what `setGlobalMetrics` set, else metrics on the global OTel API. */
export function getGlobalMetrics(): ConfigMetrics {
  return (globalMetrics ??= createMetrics());
}

/** Replaces the process-wide metrics; `undefined` restores the default (the global OTel API). */
export function setGlobalMetrics(metrics: ConfigMetrics | undefined): void {
  globalMetrics = metrics;
}

const SAFE = Symbol('confstack.safeMetrics');

/**
 * Wraps any ConfigMetrics (a user's own, say) so that no method ever throws. Idempotent; the
 * built-in implementations are already safe and are returned unchanged.
 */
export function safeMetrics(metrics: ConfigMetrics): ConfigMetrics {
  // Ours are safe by construction; returning them as-is keeps withSpan's default-path shortcut.
  if (metrics === NOOP || metrics instanceof OtelMetrics) return metrics;
  if ((metrics as unknown as Record<symbol, unknown>)[SAFE] === true) return metrics;
  const guard =
    <A extends unknown[]>(f: (...args: A) => void) =>
    (...args: A): void => {
      try {
        f(...args);
      } catch {
        // Telemetry never breaks the operation it observes.
      }
    };
  const wrapped: ConfigMetrics = {
    recordOperation: guard((...a: Parameters<ConfigMetrics['recordOperation']>) => metrics.recordOperation(...a)),
    recordLoad: guard((...a: Parameters<ConfigMetrics['recordLoad']>) => metrics.recordLoad(...a)),
    recordValidation: guard((...a: Parameters<ConfigMetrics['recordValidation']>) => metrics.recordValidation(...a)),
    recordError: guard((...a: Parameters<ConfigMetrics['recordError']>) => metrics.recordError(...a)),
    recordReload: guard((...a: Parameters<ConfigMetrics['recordReload']>) => metrics.recordReload(...a)),
    setProviderHealth: guard((...a: Parameters<ConfigMetrics['setProviderHealth']>) => metrics.setProviderHealth(...a)),
    setLastSuccess: guard((subject: string, at: number) => metrics.setLastSuccess?.(subject, at)),
    get tracer(): Tracer | undefined {
      try {
        return metrics.tracer;
      } catch {
        return undefined;
      }
    },
  };
  Object.defineProperty(wrapped, SAFE, { value: true });
  return wrapped;
}
