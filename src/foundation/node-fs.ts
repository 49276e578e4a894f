/**
 * `node:fs`, taken from Node's built-in table rather than imported. Why: importing `node:fs` as an
 * ES module builds its ESM facade, which reads every export once, and some exports are getters
 * that load fs streams: ~1.5 ms at `import('confstack')` here, for code that only needs a few
 * functions when it runs. `process.getBuiltinModule` (Node 20.16+) and `require` return the
 * CommonJS object, whose getters run only when used.
 */
import { createRequire } from 'node:module';

export const fs: typeof import('node:fs') = process.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs');
