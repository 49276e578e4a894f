/**
 * examples/typed-service: a TypeScript service with its own zod schema and a confstack.config.ts.
 * The app (run with tsx) and the built CLI (run in the example's directory, finding the project
 * file itself) give the same answers: the same located issues when invalid, only the app's keys
 * in `print`, and `docs` listing its env variables.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, confstack } from '../cli/cli-process.js';
import { ROOT, runTs, typeErrors } from './doc-blocks.js';

const DIR = join(ROOT, 'examples/typed-service');
const APP = join(DIR, 'app.ts');

beforeAll(() => assertBuilt());

/** `path: message [code] (origin)` of each issue line, from the app's formatConfigError or the CLI's report. */
function appIssues(text: string): string[] {
  return [...text.matchAll(/^ {2}- (\S+): (.+?) \[(\w+)\] \((.+)\)$/gm)].map((m) => `${m[1]} ${m[3]} @ ${m[4]}`).sort();
}
function cliIssues(text: string): string[] {
  return [...text.matchAll(/^(.+?)(?::(\d+):(\d+))?: (\S+): (.+?) \[(\w+)\]$/gm)]
    .filter((m) => !m[1]!.startsWith('confstack'))
    .map((m) => `${m[4]} ${m[6]} @ ${m[2] ? `${m[1]}:${m[2]}:${m[3]}` : m[1]}`)
    .sort();
}

describe('examples/typed-service', () => {
  it('type-checks (the schema type flows from defineConfig to loadConfig)', () => {
    expect(typeErrors([APP])).toEqual([]);
  });

  it('the app runs, and prints its config with the secret-marked fields redacted', () => {
    const r = runTs(APP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('listening on 127.0.0.1:8081 (pool 5, upstreams payments, inventory)');
    expect(r.stdout).toContain('"url":"[REDACTED]"');
    expect(r.stdout).not.toMatch(/dev-only-password|dev-only-token/);
  });

  it('validate fails with the same located issues as the app', () => {
    const env = { SHOP_SERVER__PORT: '70000', SHOP_DB__POOL_SIZE: '0', SHOP_UPSTREAMS__INVENTORY__URL: 'not a url' };
    const app = runTs(APP, env);
    expect(app.code).toBe(1);
    const cli = confstack(['validate'], { cwd: DIR, env });
    expect(cli.code).toBe(1);
    const expected = appIssues(app.stdout);
    expect(expected).toEqual([
      'db.pool_size too_small @ env SHOP_DB__POOL_SIZE',
      'server.port too_big @ env SHOP_SERVER__PORT',
      'upstreams.1.url invalid_format @ env SHOP_UPSTREAMS__INVENTORY__URL',
    ]);
    expect(cliIssues(cli.stderr)).toEqual(expected);
  });

  it('an issue in a file is located at the same file:line:col by both', () => {
    // config.yaml:4 holds `url: ${SHOP_DB_URL:-postgres://…}`: the interpolated value keeps the file's position.
    const env = { SHOP_DB_URL: 'mysql://shop:other-password@db/shop' };
    const app = runTs(APP, env);
    const cli = confstack(['validate'], { cwd: DIR, env });
    expect(app.code).toBe(1);
    expect(cli.code).toBe(1);
    const expected = appIssues(app.stdout);
    expect(expected).toEqual([`db.url invalid_format @ ${join(DIR, 'config/config.yaml')}:4:3`]);
    expect(cliIssues(cli.stderr)).toEqual(expected);
    expect(app.stdout + cli.stderr).not.toContain('other-password');
  });

  it('print shows only the app\'s keys, secrets redacted', () => {
    const r = confstack(['print', '--json'], { cwd: DIR });
    expect(r.code).toBe(0);
    const tree = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(tree)).toEqual(['server', 'db', 'features', 'upstreams']);
    expect(tree).toMatchObject({ db: { url: '[REDACTED]' }, upstreams: [{ name: 'payments', auth: '[REDACTED]' }, { name: 'inventory' }] });
    expect(r.stdout).not.toMatch(/dev-only/);
  });

  it('docs lists its env variables; docs --env leaves secrets empty', () => {
    const docs = confstack(['docs'], { cwd: DIR }).stdout;
    for (const v of ['SHOP_SERVER__PORT', 'SHOP_DB__URL', 'SHOP_DB__POOL_SIZE', 'SHOP_FEATURES__<KEY>', 'SHOP_UPSTREAMS__<NAME>__URL', 'SHOP_UPSTREAMS__<NAME>__AUTH']) {
      expect(docs).toContain(`\`${v}\``);
    }
    const env = confstack(['docs', '--env'], { cwd: DIR }).stdout;
    expect(env).toContain('\nSHOP_DB__URL=\n');
    expect(env).toContain('\n# SHOP_UPSTREAMS__<NAME>__AUTH=\n');
    expect(env).toContain('\n# SHOP_SERVER__PORT=8080\n');
  });

  it('a misspelt variable gets the same warning from the app and the CLI', () => {
    const env = { SHOP_SERVR__PORT: '1' };
    const app = runTs(APP, env);
    const cli = confstack(['validate'], { cwd: DIR, env });
    expect(app.stdout).toContain('warning: SHOP_SERVR__PORT sets "servr.port", which the schema does not declare; did you mean SHOP_SERVER__PORT?');
    expect(cli.stderr).toContain('warning: SHOP_SERVR__PORT sets "servr.port", which the schema does not declare; did you mean SHOP_SERVER__PORT?');
  });
});
