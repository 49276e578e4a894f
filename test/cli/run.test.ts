import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { tempDir } from '../support/temp.js';

function sink() {
  const io = { stdout: '', stderr: '', out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

describe('runCli', () => {
  it.each([
    ['__proto__.polluted=1'],
    ['constructor.prototype.polluted=1'],
    ['a.__proto__.polluted=1'],
    ['a={"__proto__":{"polluted":1}}'],
    ['a={"constructor":{"prototype":{"polluted":1}}}'],
  ])('refuses --set %s with forbidden_key and leaves Object.prototype alone (C2, in-process)', async (set) => {
    const file = join(tempDir({ 'c.yaml': 'a:\n  b: 1\n' }), 'c.yaml');
    const io = sink();
    const { code } = await runCli(['print', '-c', file, '--set', set, '--json'], io);
    expect(code).toBe(1);
    expect(JSON.parse(io.stderr).error).toMatchObject({ code: 'forbidden_key', location: { source: '--set' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('runs a command in-process with --set overrides layered on top', async () => {
    const file = join(tempDir({ 'c.yaml': 'server:\n  port: 1\n' }), 'c.yaml');
    const io = sink();
    const r = await runCli(['get', 'server', '-c', file, '--set', 'server.port=2', '--set', 'server.tls={"enabled":true}', '--json', '--no-validate'], io);
    expect(r).toEqual({ code: 0, command: 'get' });
    expect(JSON.parse(io.stdout)).toEqual({ port: 2, tls: { enabled: true } });
  });

  it('returns 2 with usage text for an unknown command', async () => {
    const io = sink();
    expect((await runCli(['explian'], io)).code).toBe(2);
    expect(io.stderr).toMatch(/Did you mean explain\?/);
  });
});
