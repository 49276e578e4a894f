/**
 * A field marked secret in the schema's metadata (zod `.meta({ secret: true })`), inside a list of
 * named items, whose key name the built-in rule does not catch (`dsn`): redacted in toObject,
 * JSON, String and inspect, and kept out of validation errors, issue messages, logs and spans.
 */
import { inspect } from 'node:util';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatConfigError, type ConfigError } from '../src/foundation/errors.js';
import { loadConfig } from '../src/core/load.js';
import type { Logger } from '../src/observability/logging.js';
import { envProvider } from '../src/providers/env.js';
import { memoryProvider } from '../src/providers/memory.js';
import { createTestTelemetry } from '../src/testing/telemetry.js';
import { CANARY, expectConfigError } from './support/errors.js';

const Store = z.object({ name: z.string(), region: z.string(), dsn: z.string().meta({ secret: true }) });
const Schema = z.object({ stores: z.array(Store).default([]) });

const good = { stores: [{ name: 'main', region: 'eu', dsn: CANARY }, { name: 'replica', region: 'us', dsn: `${CANARY}-2` }] };

const lines: string[] = [];
const logger: Logger = {
  debug: (o, m) => void lines.push(JSON.stringify([o, m])),
  info: (o, m) => void lines.push(JSON.stringify([o, m])),
  warn: (o, m) => void lines.push(JSON.stringify([o, m])),
  error: (o, m) => void lines.push(JSON.stringify([o, m])),
};
const telemetry = await createTestTelemetry();
afterAll(() => telemetry.shutdown());

function errorText(err: ConfigError): string {
  return [err.message, formatConfigError(err), JSON.stringify(err.toJSON()), JSON.stringify(err.issues ?? [])].join('\n');
}

describe('a secret-marked field inside a list of named items', () => {
  it('is redacted by toObject, JSON.stringify, String and inspect, and kept in value', async () => {
    const config = await loadConfig({ schema: Schema, sources: [memoryProvider(good)] });
    expect(config.value.stores[0]!.dsn).toBe(CANARY);
    expect(config.toObject()).toEqual({ stores: [{ name: 'main', region: 'eu', dsn: '[REDACTED]' }, { name: 'replica', region: 'us', dsn: '[REDACTED]' }] });
    for (const text of [JSON.stringify(config), String(config), inspect(config, { depth: 10 })]) expect(text).not.toContain(CANARY);
    expect(config.toObject({ redact: false }).stores).toEqual(good.stores);
  });

  it('is redacted when an env variable sets it on an item selected by name', async () => {
    const env = { APP_STORES__MAIN__DSN: `${CANARY}-env` };
    const config = await loadConfig({ schema: Schema, sources: [envProvider({ prefix: 'APP', env }), memoryProvider(good)] });
    expect(config.value.stores[0]!.dsn).toBe(`${CANARY}-env`);
    expect(JSON.stringify(config)).not.toContain(CANARY);
    expect(config.explain('stores[0].dsn')).toMatchObject({ type: 'env', location: 'APP_STORES__MAIN__DSN' });
  });

  it('never reaches error messages, issues, logs or spans when validation fails', async () => {
    // The item rule echoes the value in its message at a non-secret path; the dsn rule fails too.
    const Echo = z.object({
      stores: z.array(
        Store.extend({ dsn: z.string().min(200).meta({ secret: true }) }).superRefine((item, ctx) => {
          ctx.addIssue({ code: 'custom', message: `store ${item.name} cannot use ${item.dsn}`, path: ['region'] });
        }),
      ),
    });
    lines.length = 0;
    telemetry.reset();
    const err = await expectConfigError(loadConfig({ schema: Echo, sources: [memoryProvider(good)], logger, metrics: telemetry.metrics }), { code: 'validation_failed' });
    expect(err.issues?.map((i) => i.path).sort()).toEqual(['stores.0.dsn', 'stores.0.region', 'stores.1.dsn', 'stores.1.region']);
    expect(errorText(err)).not.toContain(CANARY.slice(0, 6));
    expect(err.issues?.find((i) => i.path === 'stores.0.dsn')?.message).toMatch(/secret value not shown/);
    const spans = telemetry.spans();
    expect(spans.length).toBeGreaterThan(0);
    expect(JSON.stringify(spans.map((s) => ({ a: s.attributes, e: s.events, st: s.status })))).not.toContain(CANARY.slice(0, 6));
    expect(lines.join('\n')).not.toContain(CANARY.slice(0, 6));
  });
});

describe('a valibot secret mark (v.metadata({ secret: true }) through @valibot/to-json-schema)', () => {
  it('is redacted the same way', async () => {
    const schema = toStandardJsonSchema(v.object({ stores: v.array(v.object({ name: v.string(), dsn: v.pipe(v.string(), v.metadata({ secret: true })) })) }));
    const config = await loadConfig({ schema, sources: [memoryProvider({ stores: [{ name: 'main', dsn: CANARY }] })] });
    expect(config.value.stores[0]!.dsn).toBe(CANARY);
    expect(config.toObject()).toEqual({ stores: [{ name: 'main', dsn: '[REDACTED]' }] });
    expect(inspect(config, { depth: 10 })).not.toContain(CANARY);
  });
});
