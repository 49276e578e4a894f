/**
 * withEnv: run code with some environment variables set, and put process.env back exactly as it
 * was afterwards (also when the code throws or rejects). Calls are serialised so two concurrent
 * async tests cannot see each other's variables; a nested call runs inside its parent's turn.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const inside = new AsyncLocalStorage<true>();
let queue: Promise<unknown> = Promise.resolve();

function apply(vars: Readonly<Record<string, string | undefined>>): () => void {
  const snapshot = { ...process.env };
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in snapshot)) delete process.env[k];
    for (const [k, v] of Object.entries(snapshot)) if (process.env[k] !== v) process.env[k] = v;
  };
}

/**
 * Runs `fn` with `vars` set in process.env (`undefined` unsets a variable), then restores the
 * whole environment, including anything `fn` itself changed.
 * @example await withEnv({ CONFSTACK_SERVER__PORT: '9090' }, () => loadConfig())
 */
export function withEnv<R>(vars: Readonly<Record<string, string | undefined>>, fn: () => R | Promise<R>): Promise<R> {
  const run = async (): Promise<R> => {
    const restore = apply(vars);
    try {
      return await inside.run(true, fn);
    } finally {
      restore();
    }
  };
  if (inside.getStore()) return run();
  const turn = queue.then(run, run);
  queue = turn.catch(() => undefined);
  return turn;
}
