import { describe, expect, it } from 'vitest';
import { AttributeNames, InstrumentNames, InstrumentUnits, OperationBySpan, SpanNames } from '../../src/observability/names.js';

describe('names', () => {
  it('names every instrument and span under confstack.', () => {
    for (const n of [...Object.values(InstrumentNames), ...Object.values(SpanNames)]) expect(n).toMatch(/^confstack\.[a-z_.]+$/);
  });

  it('has the instrument and span names API.md lists', () => {
    expect(Object.values(InstrumentNames)).toEqual(
      expect.arrayContaining(['confstack.operations', 'confstack.errors', 'confstack.validations', 'confstack.reloads', 'confstack.operation.duration', 'confstack.provider.health']),
    );
    expect(Object.values(SpanNames)).toEqual(
      expect.arrayContaining(['confstack.load', 'confstack.provider.load', 'confstack.validate', 'confstack.reload', 'confstack.registry.create']),
    );
    expect(InstrumentUnits.OperationDuration).toBe('s');
    expect(AttributeNames).toMatchObject({ Operation: 'confstack.operation', Provider: 'confstack.provider', Format: 'confstack.format', ErrorType: 'error.type' });
  });

  it('maps every span to an operation', () => {
    for (const s of Object.values(SpanNames)) expect(OperationBySpan[s]).toBeTypeOf('string');
  });

  it('has no attribute key that names a value', () => {
    for (const k of Object.values(AttributeNames)) expect(k).not.toMatch(/value|secret|content|text/i);
  });
});
