/**
 * `confstack health`: loads once (feeding validation health), checks every source through a
 * HealthMonitor, prints the summary; exit 1 when unhealthy (or when the load fails).
 */
import { isConfigError, type ConfigError } from '../../foundation/errors.js';
import { HealthMonitor, type HealthFigures } from '../../observability/health.js';
import { loadConfig } from '../../presets/framework/api.js';
import type { CommandContext } from '../context.js';
import { formatCliError } from '../output.js';
import { buildLoadOptions, closeSources } from '../sources.js';

/** Runs `health`. */
export async function runHealth(ctx: CommandContext): Promise<number> {
  const monitor = new HealthMonitor({ timeoutMs: 5_000 });
  const opts = await buildLoadOptions(ctx.global, { signal: ctx.signal, monitor }, ctx.project);
  let loadError: ConfigError | undefined;
  try {
    for (const p of opts.sources) monitor.register(p);
    try {
      await loadConfig(opts);
    } catch (err) {
      if (!isConfigError(err)) throw err;
      loadError = err;
    }
    const summary = await monitor.checkAll();
    const ok = summary.status !== 'unhealthy' && loadError === undefined;
    if (ctx.global.json) {
      ctx.io.out(`${JSON.stringify({ ...summary, ...(loadError ? { loadError: loadError.toJSON() } : {}) }, null, 2)}\n`);
      return ok ? 0 : 1;
    }
    const lines = [`status: ${summary.status}`, 'providers:'];
    for (const [name, h] of Object.entries(summary.providers)) {
      lines.push(
        `  ${name}: ${h.status} (${h.responseTimeMs.toFixed(1)} ms, success ${(h.successRate * 100).toFixed(0)}%, errors ${h.errorCount})${h.lastError ? ` last error: ${h.lastError}` : ''}`,
        `    ${describeFigures(h.figures)}`,
      );
    }
    const v = summary.validation;
    lines.push(`validation: ${v.total} run, ${v.failed} failed`, `  ${describeFigures(v.figures)}`);
    ctx.io.out(`${lines.join('\n')}\n`);
    if (loadError) ctx.io.err(formatCliError(loadError));
    return ok ? 0 : 1;
  } finally {
    await closeSources(opts.sources);
  }
}

/** `latency p50 0.4 / p95 0.9 / p99 1.2 ms, 2 observations, errors: parse_failed 1, last success 3 ms ago` */
export function describeFigures(f: HealthFigures): string {
  const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
  const parts = [f.latencyMs ? `latency p50 ${ms(f.latencyMs.p50)} / p95 ${ms(f.latencyMs.p95)} / p99 ${ms(f.latencyMs.p99)} ms` : 'no observations'];
  parts.push(`${f.count} observation${f.count === 1 ? '' : 's'}`);
  const codes = Object.entries(f.errorsByCode);
  parts.push(codes.length > 0 ? `errors: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}` : 'no errors');
  parts.push(f.sinceLastSuccessMs !== undefined ? `last success ${Math.round(f.sinceLastSuccessMs)} ms ago` : 'no success yet');
  return parts.join(', ');
}
