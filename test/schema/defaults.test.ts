import { describe, expect, it } from 'vitest';
import { FRAMEWORK_DEFAULTS, FrameworkConfigSchema, applyFrameworkDefaults } from '../../src/presets/framework/schema.js';
import { validFrameworkConfig } from './framework-fixture.js';

describe('applyFrameworkDefaults', () => {
  it.each([
    { name: 'an empty config', input: {} },
    { name: 'the fixture', input: validFrameworkConfig() },
    {
      name: 'items missing every defaulted key',
      input: {
        llm_providers: [{ name: 'a', provider: 'p', model_name: 'm' }, { name: 'b', provider: 'p', model_name: 'm', default_call_options: { top_p: 1 } }],
        tools: [{ name: 't', provider: 'p' }],
        agents: [{ name: 'x', llm_provider_name: 'a' }],
      },
    },
  ])('agrees with the zod schema on $name', ({ input }) => {
    expect(applyFrameworkDefaults(input)).toEqual(FrameworkConfigSchema.parse(input));
  });

  it('does not mutate its input', () => {
    const input = { agents: [{ name: 'x', llm_provider_name: 'a' }] };
    const copy = structuredClone(input);
    applyFrameworkDefaults(input);
    expect(input).toEqual(copy);
  });

  it('leaves wrong types for validation to report', () => {
    const out = applyFrameworkDefaults({ agents: 'x', tools: [5], llm_providers: [{ default_call_options: 'hot' }] }) as Record<string, unknown>;
    expect(out.agents).toBe('x');
    expect(out.tools).toEqual([5]);
    expect(out.llm_providers).toEqual([{ default_call_options: 'hot' }]);
  });

  it('turns undefined into the root defaults and returns other non-objects unchanged', () => {
    expect(applyFrameworkDefaults(undefined)).toEqual({ llm_providers: [], embedding_providers: [], vector_stores: [], tools: [], agents: [] });
    expect(applyFrameworkDefaults('x')).toBe('x');
    expect(applyFrameworkDefaults(null)).toBe(null);
  });

  it('keeps a JSON-parsed __proto__ key as inert data', () => {
    const out = applyFrameworkDefaults(JSON.parse('{"__proto__": {"polluted": true}, "agents": []}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
  });

  it('exposes the defaults as frozen data', () => {
    expect(FRAMEWORK_DEFAULTS).toEqual({ temperature: 0.7, maxTokens: 1000, toolEnabled: true, maxIterations: 10 });
    expect(Object.isFrozen(FRAMEWORK_DEFAULTS)).toBe(true);
  });
});
