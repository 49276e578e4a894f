/**
 * The env naming convention as properties (API.md "Environment variables"; RELIABILITY E1).
 *
 * Domain where the convention is a bijection up to case (outside it names are ambiguous by design):
 * - a key segment is one or more words of [a-z0-9] (any case for the provider property) joined by
 *   single `_`: no leading, trailing or doubled `_` (a doubled one is the delimiter), and never a
 *   forbidden key (`constructor`, `prototype`, in any case);
 * - a prefix is empty or words of [A-Za-z0-9] joined by single `_`;
 * - with the empty prefix the provider reads only nested names, so paths there have two or more segments;
 * - for the provider, no two sibling keys in the lower layer are equal ignoring case (an upper-case
 *   name cannot tell them apart).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { configKey, envProvider, envVarName } from '../../src/providers/env.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { isForbiddenSegment } from '../../src/tree/path.js';
import { propertyRuns, propertyTimeout } from './runs.js';

const RUNS = propertyRuns(300);

const words = (chars: string, maxWords: number) =>
  fc
    .array(fc.stringMatching(new RegExp(`^[${chars}]{1,6}$`)), { minLength: 1, maxLength: maxWords })
    .map((ws) => ws.join('_'))
    .filter((s) => !isForbiddenSegment(s.toLowerCase()));

const lowerSegment = words('a-z0-9', 3);
const anyCaseSegment = words('a-zA-Z0-9', 3);
const prefix = fc.oneof(fc.constant(''), fc.constant('CONFSTACK'), words('A-Za-z0-9', 2));

/** `{ a: { b: leaf } }` for segments [a, b], with a sibling no generated segment can equal. */
function treeAt(segments: readonly string[], leaf: unknown): Record<string, unknown> {
  let node: unknown = leaf;
  for (let i = segments.length - 1; i >= 0; i--) node = { [segments[i]!]: node, 'sib-ling': i };
  return node as Record<string, unknown>;
}

describe('env names (property)', () => {
  it('configKey(prefix, envVarName(prefix, key)) is the key', () => {
    fc.assert(
      fc.property(prefix, fc.array(lowerSegment, { minLength: 1, maxLength: 5 }), (p, segments) => {
        const key = segments.join('.');
        expect(configKey(p, envVarName(p, key))).toBe(key);
      }),
      { numRuns: RUNS },
    );
  });

  it('the variable envVarName gives for a path sets exactly that path over a lower layer that has it', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.array(anyCaseSegment, { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.constant<[unknown, string, unknown]>(['old', 'new', 'new']), fc.integer().map((n): [unknown, string, unknown] => [0, String(n), n])),
        async (p, segments, [before, raw, after]) => {
          fc.pre(p !== '' || segments.length >= 2);
          const name = envVarName(p, segments.join('.'));
          const config = await loadConfig({
            schema: false,
            env: {},
            sources: [envProvider({ prefix: p, env: { [name]: raw } }), memoryProvider(treeAt(segments, before))],
          });
          expect(config.value).toEqual(treeAt(segments, after));
          const path = segments.join('.');
          expect(config.get(path)).toBe(after);
          expect(config.explain(path)).toEqual({ provider: `env:${p}`, type: 'env', location: name });
        },
      ),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));
});
