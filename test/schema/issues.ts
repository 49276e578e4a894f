/** Test helper: the issues of a zod safeParse as `{ path, code }` pairs (paths dotted). */
import type { z } from 'zod';

export function issuesOf(schema: z.ZodType, value: unknown): { path: string; code: string }[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code }));
}
