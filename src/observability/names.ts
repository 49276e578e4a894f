/**
 * Every telemetry name confstack emits: instruments, spans, attributes, operations and outcomes.
 * One place to audit (STYLE.md 3.2): call sites use these constants, never string literals, so a
 * reviewer can check here that no name or attribute could carry a config value.
 */

/** The instrumentation scope (meter and tracer name). */
export const INSTRUMENTATION_SCOPE = 'confstack';

/** Metric instrument names (API.md "Observability"). */
export const InstrumentNames = {
  /** Counter: one per operation (load, provider.load, validate, reload, registry.create, health.check). */
  Operations: 'confstack.operations',
  /** Counter: one per failure, attribute `error.type` = the ConfigError code. */
  Errors: 'confstack.errors',
  /** Counter: one per schema validation, attribute `confstack.outcome`. */
  Validations: 'confstack.validations',
  /** Counter: the number of validation issues found (sum over validations). */
  ValidationIssues: 'confstack.validation.issues',
  /** Counter: one per reload attempt, attribute `confstack.outcome` (applied | rejected | unchanged). */
  Reloads: 'confstack.reloads',
  /** Histogram (seconds): duration of every operation. */
  OperationDuration: 'confstack.operation.duration',
  /** Observable gauge: per provider, 1 healthy, 0.5 degraded, 0 unhealthy. */
  ProviderHealth: 'confstack.provider.health',
  /** Observable gauge: 1 if the last reload was applied (or unchanged), 0 if it was rejected. */
  ReloadLastSuccess: 'confstack.reload.last_success',
  /** Observable gauge (seconds): time since the last success, attribute `confstack.health.subject` (a provider, `validation`, `reload`). */
  LastSuccessAge: 'confstack.health.last_success_age',
} as const;

/** Units (UCUM) of the instruments that have one. */
export const InstrumentUnits = {
  OperationDuration: 's',
  Operations: '{operation}',
  Errors: '{error}',
  Validations: '{validation}',
  ValidationIssues: '{issue}',
  Reloads: '{reload}',
  ProviderHealth: '1',
  ReloadLastSuccess: '1',
  LastSuccessAge: 's',
} as const;

/** Span names. */
export const SpanNames = {
  Load: 'confstack.load',
  ProviderLoad: 'confstack.provider.load',
  Validate: 'confstack.validate',
  Reload: 'confstack.reload',
  RegistryCreate: 'confstack.registry.create',
  HealthCheck: 'confstack.health.check',
} as const;
export type SpanName = (typeof SpanNames)[keyof typeof SpanNames];

/** Values of the `confstack.operation` attribute. */
export const Operations = {
  Load: 'load',
  ProviderLoad: 'provider.load',
  Validate: 'validate',
  Reload: 'reload',
  RegistryCreate: 'registry.create',
  HealthCheck: 'health.check',
} as const;
export type Operation = (typeof Operations)[keyof typeof Operations];

/** The operation each span stands for (withSpan records metrics under this name). */
export const OperationBySpan: Readonly<Record<SpanName, Operation>> = {
  [SpanNames.Load]: Operations.Load,
  [SpanNames.ProviderLoad]: Operations.ProviderLoad,
  [SpanNames.Validate]: Operations.Validate,
  [SpanNames.Reload]: Operations.Reload,
  [SpanNames.RegistryCreate]: Operations.RegistryCreate,
  [SpanNames.HealthCheck]: Operations.HealthCheck,
};

/**
 * Attribute keys. Values are names, formats, counts and codes: never config values.
 */
export const AttributeNames = {
  Operation: 'confstack.operation',
  /** A provider instance name, e.g. `file:config/config.yaml`. */
  Provider: 'confstack.provider',
  /** A provider type, e.g. `file`, `env`, `etcd`. */
  ProviderType: 'confstack.provider.type',
  /** A format name, e.g. `yaml`. */
  Format: 'confstack.format',
  /** `success` | `failure` for operations; `applied` | `rejected` | `unchanged` for reloads. */
  Outcome: 'confstack.outcome',
  /** Number of validation issues. */
  IssueCount: 'confstack.issue_count',
  /** Number of sources (providers) in a load. */
  SourceCount: 'confstack.source_count',
  /** Number of keys that changed on a reload. */
  ChangedKeyCount: 'confstack.changed_key_count',
  /** Health status of a provider: healthy | degraded | unhealthy. */
  HealthStatus: 'confstack.health.status',
  /** What a health figure is about: a provider name, `validation` or `reload`. */
  HealthSubject: 'confstack.health.subject',
  /** Registry type name being created. */
  RegistryType: 'confstack.registry.type',
  /** OTel semantic convention: the ConfigError code, or `unknown`. */
  ErrorType: 'error.type',
} as const;

/** Values of `confstack.outcome` for operations. */
export const Outcomes = {
  Success: 'success',
  Failure: 'failure',
} as const;

/** `error.type` for failures that carry no ConfigError code. */
export const UNKNOWN_ERROR_TYPE = 'unknown';

/** Gauge values of `confstack.provider.health`. */
export const HealthGaugeValues = {
  healthy: 1,
  degraded: 0.5,
  unhealthy: 0,
} as const;

/**
 * Attributes copied from a span onto its operation metrics. Anything else a caller puts on a span
 * (counts, say) stays on the span, so metric cardinality stays bounded by provider and format names.
 */
export const METRIC_ATTRIBUTE_KEYS: readonly string[] = [
  AttributeNames.Provider,
  AttributeNames.ProviderType,
  AttributeNames.Format,
  AttributeNames.RegistryType,
];
