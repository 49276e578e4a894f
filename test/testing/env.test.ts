import { describe, expect, it } from 'vitest';
import { withEnv } from 'confstack/testing';

const KEY = 'CONFSTACK_TESTING_WITH_ENV';

describe('withEnv', () => {
  it('sets and unsets variables for the call, then restores the environment', async () => {
    const before = { ...process.env };
    const seen = await withEnv({ [KEY]: 'a', HOME: undefined }, () => [process.env[KEY], process.env.HOME]);
    expect(seen).toEqual(['a', undefined]);
    expect(process.env).toEqual(before);
  });

  it('also removes variables the function added, and restores ones it changed', async () => {
    const before = { ...process.env };
    await withEnv({}, () => {
      process.env[`${KEY}_ADDED`] = 'x';
      process.env.PATH = 'changed';
    });
    expect(process.env).toEqual(before);
  });

  it('restores after a throw and after a rejection', async () => {
    const before = { ...process.env };
    await expect(withEnv({ [KEY]: 'x' }, () => { throw new RangeError('boom'); })).rejects.toThrow(RangeError);
    await expect(withEnv({ [KEY]: 'y' }, async () => { await Promise.resolve(); throw new Error('late'); })).rejects.toThrow('late');
    expect(process.env).toEqual(before);
  });

  it('serialises concurrent async calls so they never see each other', async () => {
    const seen: string[] = [];
    const task = (v: string) =>
      withEnv({ [KEY]: v }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${v}=${process.env[KEY]}`);
      });
    await Promise.all([task('1'), task('2'), task('3')]);
    expect(seen).toEqual(['1=1', '2=2', '3=3']);
    expect(process.env[KEY]).toBeUndefined();
  });

  it('runs a nested call inside its parent turn (no deadlock) and restores each level', async () => {
    const inner = await withEnv({ [KEY]: 'outer' }, async () => {
      const v = await withEnv({ [KEY]: 'inner' }, () => process.env[KEY]);
      return [v, process.env[KEY]];
    });
    expect(inner).toEqual(['inner', 'outer']);
    expect(process.env[KEY]).toBeUndefined();
  });
});
