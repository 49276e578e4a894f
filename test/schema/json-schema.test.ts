import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { frameworkJsonSchema } from '../../src/presets/framework/schema.js';
import { validFrameworkConfig } from './framework-fixture.js';

function compile() {
  // strict: the schema must use only known keywords (bar our `secret` annotation) and formats.
  const ajv = new Ajv2020({ strict: true, allErrors: true, formats: { uri: true } });
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  return ajv.compile(frameworkJsonSchema());
}

describe('frameworkJsonSchema', () => {
  it('is a JSON Schema 2020-12 document with a title', () => {
    const schema = frameworkJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof schema.title).toBe('string');
  });

  it('accepts the valid fixture and a config without defaulted keys', () => {
    const validate = compile();
    expect(validate(validFrameworkConfig()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ agents: [{ name: 'a', llm_provider_name: 'p' }] })).toBe(true);
  });

  it.each([
    { name: 'a missing model_name', input: { llm_providers: [{ name: 'a', provider: 'p' }] }, path: '/llm_providers/0' },
    { name: 'a blank name', input: { tools: [{ name: ' ', provider: 'p' }] }, path: '/tools/0/name' },
    { name: 'a fractional max_iterations', input: { agents: [{ name: 'a', llm_provider_name: 'p', max_iterations: 1.5 }] }, path: '/agents/0/max_iterations' },
    { name: 'a string enabled', input: { tools: [{ name: 't', provider: 'p', enabled: 'yes' }] }, path: '/tools/0/enabled' },
    { name: 'a missing embedding api_key', input: { embedding_providers: [{ name: 'e', provider: 'p', model_name: 'm' }] }, path: '/embedding_providers/0' },
  ])('rejects $name', ({ input, path }) => {
    const validate = compile();
    expect(validate(input)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });

  it('marks secret keys', () => {
    const s = frameworkJsonSchema() as any;
    expect(s.properties.llm_providers.items.properties.api_key).toMatchObject({ secret: true, writeOnly: true });
    expect(s.properties.vector_stores.items.properties.connection_string).toMatchObject({ secret: true });
    expect(s.properties.llm_providers.items.properties.model_name.secret).toBeUndefined();
  });

  it('returns a fresh copy each call', () => {
    const a = frameworkJsonSchema();
    a.title = 'changed';
    expect(frameworkJsonSchema().title).not.toBe('changed');
  });
});
