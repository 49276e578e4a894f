/**
 * The service's own configuration schema (zod). Descriptions and secret marks live in the
 * schema's metadata: `confstack docs` lists them, and a `secret: true` field is redacted
 * everywhere confstack prints or logs values.
 */
import { z } from 'zod';

export const AppSchema = z.object({
  server: z
    .object({
      host: z.string().default('127.0.0.1').describe('interface to bind'),
      port: z.int().min(1).max(65_535).default(8080).describe('TCP port to listen on'),
    })
    .prefault({})
    .describe('HTTP server'),
  db: z
    .object({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .meta({ secret: true, description: 'database connection URL (with credentials)' }),
      pool_size: z.int().min(1).max(100).default(10).describe('connections kept open'),
    })
    .describe('database'),
  features: z.record(z.string(), z.boolean()).default({}).describe('feature flags by name'),
  upstreams: z
    .array(
      z.object({
        name: z.string().describe('upstream name (env variables select it by name)'),
        url: z.url().describe('base URL'),
        auth: z.string().optional().meta({ secret: true, description: 'value of the Authorization header' }),
      }),
    )
    .default([])
    .describe('services this one calls'),
});

export type AppConfig = z.output<typeof AppSchema>;
