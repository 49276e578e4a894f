import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/tree/interpolate.js';
import { expectConfigError } from '../support/errors.js';

const env = { A: 'alpha', EMPTY: '', N: '42' };
const run = (s: string, maxDepth = 32) => interpolate(s, { env, maxDepth });

describe('interpolate', () => {
  it.each([
    { input: 'plain', expected: 'plain' },
    { input: '${A}', expected: 'alpha' },
    { input: 'x-${A}-${N}', expected: 'x-alpha-42' },
    { input: '${MISSING:-fallback}', expected: 'fallback' },
    { input: '${EMPTY:-fallback}', expected: 'fallback' },
    { input: '${MISSING:-}', expected: '' },
    { input: '${MISSING:-${A}}', expected: 'alpha' },
    { input: '$${A}', expected: '${A}' },
    { input: 'cost $5', expected: 'cost $5' },
    { input: '$', expected: '$' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(run(input)).toBe(expected);
  });

  it.each(['${MISSING}', '${A', '${1BAD}', '${}'])('rejects %s with interpolation_failed', async (input) => {
    await expectConfigError(() => run(input), { code: 'interpolation_failed' });
  });

  it('bounds nested defaults', async () => {
    const deep = '${X:-'.repeat(40) + 'end' + '}'.repeat(40);
    await expectConfigError(() => run(deep, 32), { code: 'limit_exceeded' });
    expect(run('${X:-'.repeat(5) + 'end' + '}'.repeat(5))).toBe('end');
  });
});
