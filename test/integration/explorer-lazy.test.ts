/**
 * `import 'confstack'` must not load the explorer (its routes, views and page): a load hook in a
 * fresh process records every module whose source holds the explorer's route table or page, and
 * the same probe proves it would see them once the explorer is used.
 */
import { describe, expect, it } from 'vitest';
import { loggedByHook } from '../support/hooked-node.js';

/** Runs `code` in a fresh node; returns which explorer markers the loaded modules contained. */
function explorerModulesLoaded(code: string): string[] {
  const hook = (log: string) => `import { appendFileSync } from 'node:fs';
     export async function load(url, context, next) {
       const result = await next(url, context);
       const text = result.source ? String(result.source) : '';
       if (text.includes('"/api/events"')) appendFileSync(${log}, 'routes\\n');
       if (text.includes('<title>confstack explorer</title>')) appendFileSync(${log}, 'page\\n');
       return result;
     }`;
  return [...new Set(loggedByHook(hook, code))].sort();
}

describe('explorer import cost', () => {
  it('loads neither the explorer nor its page when importing confstack', () => {
    expect(explorerModulesLoaded(`await import('confstack');`)).toEqual([]);
  });

  it('loads the explorer when one is created, and its page on the first page request', () => {
    const loaded = explorerModulesLoaded(`
      import http from 'node:http';
      const { configExplorer, loadFromSources, memoryProvider } = await import('confstack');
      const config = await loadFromSources([memoryProvider({ a: 1 })], { schema: false });
      const server = http.createServer(configExplorer(config)).listen(0, '127.0.0.1');
      await new Promise((r) => server.on('listening', r));
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/');
      if (res.status !== 200) throw new Error('page ' + res.status);
      server.close();`);
    expect(loaded).toEqual(['page', 'routes']);
  });
});
