/**
 * A monotonic clock in milliseconds, for durations. Not `performance.now()`: on Node 20 and 22
 * the first touch of the `performance` global loads perf_hooks and its internals (measured: +1 to
 * +2 ms of CPU in a fresh process), a cost a first config load would pay only to time itself.
 * `process.hrtime.bigint()` reads the same clock without it.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
