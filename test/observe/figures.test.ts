import { describe, expect, it } from 'vitest';
import { FigureWindow } from '../../src/observability/figures.js';

describe('FigureWindow', () => {
  it('reports nearest-rank latency percentiles over the window only', () => {
    const w = new FigureWindow(100);
    // 1..200 ms: the window keeps the last 100 (101..200).
    for (let i = 1; i <= 200; i++) w.observe(true, i, undefined, 1_000 + i);
    const f = w.figures(1_300);
    expect(f.latencyMs).toEqual({ p50: 150, p95: 195, p99: 199, max: 200 });
    expect(f.count).toBe(200);
  });

  it('computes throughput over the time the window spans', () => {
    const w = new FigureWindow(10);
    // 10 observations, one every 100 ms: 9 intervals in 0.9 s, then asked 0.1 s later (1 s span).
    for (let i = 0; i < 10; i++) w.observe(true, 1, undefined, i * 100);
    expect(w.figures(1_000).throughputPerSec).toBeCloseTo(10, 5);
    // Once the ring wraps, the oldest kept observation starts the span.
    for (let i = 10; i < 15; i++) w.observe(true, 1, undefined, i * 100);
    expect(w.figures(1_500).throughputPerSec).toBeCloseTo(10, 5);
    expect(new FigureWindow(5).figures().throughputPerSec).toBe(0);
  });

  it('counts failures by code, caps the distinct codes, and tracks the time since the last success', () => {
    const w = new FigureWindow(8);
    w.observe(true, 1, undefined, 100);
    w.observe(false, 1, 'parse_failed', 200);
    w.observe(false, 1, 'parse_failed', 300);
    w.observe(false, 1, undefined, 400);
    for (let i = 0; i < 40; i++) w.observe(false, 1, `code_${i}`, 500);
    const f = w.figures(1_100);
    expect(f.errors).toBe(43);
    expect(f.errorsByCode.parse_failed).toBe(2);
    expect(f.errorsByCode.unknown).toBe(1);
    expect(Object.keys(f.errorsByCode)).toHaveLength(33); // 32 codes + other
    expect(f.errorsByCode.other).toBe(10);
    expect(f.sinceLastSuccessMs).toBe(1_000);
    expect(f.lastSuccessAt).toEqual(new Date(100));
  });

  it('treats a non-finite or negative duration as 0', () => {
    const w = new FigureWindow(3);
    w.observe(true, Number.NaN);
    w.observe(true, -5);
    w.observe(true, Infinity);
    expect(w.figures().latencyMs).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
