/**
 * describeProviderContract(): the Provider contract (docs/provider-authors.md) as a vitest suite,
 * to run against any provider. Published as `confstack/testing/contract`, the only entry that
 * imports vitest (an optional peer dependency).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, isConfigError, TomlDateTime, type ConfigError, type Provider } from '../index.js';

/** A provider under test, with what the suite needs to exercise it. */
export interface ProviderContractSubject {
  provider: Provider;
  /**
   * Changes the source (writes the file, puts the key) so `watch` fires; `attempt` counts from 0
   * and differs per call, so each call can write different data. Needed with `watch: true`.
   */
  change?(attempt: number): Promise<void> | void;
  /** Runs after the test, after the provider is closed (remove temp files). */
  cleanup?(): Promise<void> | void;
}

/** Builds a fresh provider (or subject) for each test. */
export type ProviderContractFactory = () => Provider | ProviderContractSubject | Promise<Provider | ProviderContractSubject>;

/** What the suite checks beyond the always-on rules. */
export interface ProviderContractOptions {
  /** The values the first `load` returns (deep equality). */
  values?: Record<string, unknown>;
  /** A variant whose `load` fails (a missing file, an unreachable server): checks its error. */
  failing?: ProviderContractFactory;
  /** The provider has `watch`; the subject must give `change`. Default false: it must have none. */
  watch?: boolean;
  /** The provider has `healthCheck`. Default false: it must have none. */
  healthCheck?: boolean;
  /** The provider has `close`. Default true. */
  close?: boolean;
  /** How long `healthCheck` may take, and how long a change may take to reach `watch`. Default 5,000 ms. */
  timeoutMs?: number;
  /** How long no callback may arrive after unsubscribing, for the watch check. Default 300 ms. */
  quietMs?: number;
}

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The first place in `value` that is not plain data (JSON-like), or undefined. */
export function findNonPlainData(value: unknown, path = 'values', ancestors: object[] = []): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return undefined;
  if (typeof value !== 'object') return `${path} is ${typeof value}`;
  // TOML dates and times: an immutable value type the tree walkers keep as a leaf.
  if (value instanceof TomlDateTime) return undefined;
  if (ancestors.includes(value)) return `${path} is a cycle`;
  const isArray = Array.isArray(value);
  if (isArray ? Object.getPrototypeOf(value) !== Array.prototype : !isPlainObject(value)) {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
    return `${path} is a ${ctor} instance`;
  }
  ancestors.push(value);
  try {
    for (const [k, v] of Object.entries(value)) {
      const problem = findNonPlainData(v, isArray ? `${path}[${k}]` : `${path}.${k}`, ancestors);
      if (problem !== undefined) return problem;
    }
  } finally {
    ancestors.pop();
  }
  return undefined;
}

function subjectOf(made: Provider | ProviderContractSubject): ProviderContractSubject {
  return 'provider' in made && typeof (made as ProviderContractSubject).provider?.load === 'function'
    ? (made as ProviderContractSubject)
    : { provider: made as Provider };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but it resolved');
}

/**
 * Registers a vitest `describe` block checking that the providers `factory` builds keep the
 * Provider contract: `load` (standalone, repeatable) returns a Layer of plain data; failures and
 * aborts are ConfigErrors with a known code; `watch` returns an unsubscribe that stops callbacks;
 * `healthCheck` answers within a timeout; `close` is idempotent. Each test gets a fresh provider,
 * closed afterwards. Call it at the top level of a test file.
 * @example
 * describeProviderContract('vault', () => vaultProvider({ url, path: 'app' }), {
 *   values: { db: { host: 'x' } },
 *   failing: () => vaultProvider({ url: 'http://127.0.0.1:1', path: 'app' }),
 *   healthCheck: true,
 * });
 *
 * Long because: a test suite, one `it` per clause of the contract above, read top to bottom like
 * the contract in docs/provider-authors.md; each `it` is short and stands alone.
 */
export function describeProviderContract(name: string, factory: ProviderContractFactory, options: ProviderContractOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const quietMs = options.quietMs ?? 300;

  describe(`provider contract: ${name}`, () => {
    const made: ProviderContractSubject[] = [];
    const make = async (f: ProviderContractFactory = factory): Promise<ProviderContractSubject> => {
      const s = subjectOf(await f());
      made.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of made.splice(0)) {
        await s.provider.close?.();
        await s.cleanup?.();
      }
    });

    it('has a name, a type, and the declared optional methods', async () => {
      const { provider: p } = await make();
      expect(typeof p.name === 'string' && p.name.length > 0, 'name is a non-empty string').toBe(true);
      expect(typeof p.type === 'string' && p.type.length > 0, 'type is a non-empty string').toBe(true);
      expect(typeof p.load).toBe('function');
      expect(typeof p.watch === 'function', 'has watch() (options.watch)').toBe(options.watch ?? false);
      expect(typeof p.healthCheck === 'function', 'has healthCheck() (options.healthCheck)').toBe(options.healthCheck ?? false);
      expect(typeof p.close === 'function', 'has close() (options.close)').toBe(options.close ?? true);
    });

    it('load returns a Layer of plain data, standalone and again', async () => {
      const { provider: p } = await make();
      const first = await p.load();
      expect(findNonPlainData(first.values)).toBeUndefined();
      expect(Object.getPrototypeOf(first.values) === Object.prototype || Object.getPrototypeOf(first.values) === null).toBe(true);
      if (options.values !== undefined) expect(first.values).toEqual(options.values);
      for (const origin of [first.origin, ...Object.values(first.origins ?? {})]) {
        if (origin === undefined) continue;
        expect(typeof origin.provider, 'origin.provider').toBe('string');
        expect(typeof origin.type, 'origin.type').toBe('string');
      }
      const second = await p.load({});
      expect(second.values).toEqual(first.values);
      // `owned` promises values nobody else holds: each load must hand out its own tree.
      if (first.owned === true) expect(second.values).not.toBe(first.values);
    });

    it('load with an aborted signal rejects with a ConfigError', async () => {
      const { provider: p } = await make();
      const controller = new AbortController();
      controller.abort(new Error('test abort'));
      const err = await rejection(p.load({ signal: controller.signal }));
      expect(isConfigError(err), `rejected with ${String(err)}`).toBe(true);
      expect(CODES.has((err as ConfigError).code)).toBe(true);
    });

    if (options.failing) {
      const failing = options.failing;
      it('failures are ConfigErrors with a known code', async () => {
        const { provider: p } = await make(failing);
        const err = await within(rejection(p.load()), timeoutMs, 'the failing load');
        expect(isConfigError(err), `rejected with ${String(err)}`).toBe(true);
        const e = err as ConfigError;
        expect(CODES.has(e.code), `code ${e.code}`).toBe(true);
        if (typeof p.healthCheck === 'function') {
          // A broken source still answers (a result, or a ConfigError) in time: it never hangs.
          const answer = await within(
            p.healthCheck().then((r) => r, (e2: unknown) => e2),
            timeoutMs,
            'healthCheck of the failing variant',
          );
          if (isConfigError(answer)) expect(CODES.has(answer.code)).toBe(true);
          else expect(typeof (answer as { ok: unknown }).ok).toBe('boolean');
        }
      });
    }

    if (options.watch) {
      it('watch returns an unsubscribe that stops callbacks', async () => {
        const s = await make();
        const p = s.provider;
        if (s.change === undefined) throw new Error('watch: true needs the factory to return { provider, change }');
        await p.load();
        const calls: number[] = [];
        const unsubscribe = p.watch!((...args: unknown[]) => calls.push(args.length));
        expect(typeof unsubscribe).toBe('function');
        // Watchers arm asynchronously: keep changing the source until one change gets through.
        let attempt = 0;
        const deadline = Date.now() + timeoutMs;
        while (calls.length === 0 && Date.now() < deadline) {
          await s.change(attempt++);
          for (let waited = 0; calls.length === 0 && waited < 500; waited += 25) await sleep(25);
        }
        expect(calls.length, `no change notification within ${timeoutMs} ms`).toBeGreaterThan(0);
        expect(calls.every((n) => n === 0), 'onChange carries no data').toBe(true);
        // Let trailing notifications of that change drain before unsubscribing.
        let seen = -1;
        while (seen !== calls.length) {
          seen = calls.length;
          await sleep(quietMs);
        }
        unsubscribe();
        unsubscribe();
        const before = calls.length;
        await s.change(attempt++);
        await sleep(quietMs);
        await s.change(attempt++);
        await sleep(quietMs);
        expect(calls.length, 'callbacks after unsubscribe').toBe(before);
      });
    }

    if (options.healthCheck) {
      it(`healthCheck answers within ${timeoutMs} ms`, async () => {
        const { provider: p } = await make();
        const result = await within(p.healthCheck!(), timeoutMs, 'healthCheck');
        expect(typeof result.ok).toBe('boolean');
        expect(result.ok, result.message ?? 'unhealthy').toBe(true);
        if (result.message !== undefined) expect(typeof result.message).toBe('string');
      });
    }

    if (options.close ?? true) {
      it('close is idempotent', async () => {
        const { provider: p } = await make();
        await p.load();
        const [a, b] = await Promise.all([p.close!(), p.close!()]);
        expect(a).toBeUndefined();
        expect(b).toBeUndefined();
        await expect(p.close!()).resolves.toBeUndefined();
      });
    }
  });
}
