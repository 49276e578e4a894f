#!/usr/bin/env node
/**
 * The `confstack` bin: wires runCli to the process. Owns the process-level rules: EPIPE on
 * stdout (`| head -1`) exits 0 quietly, SIGINT stops `watch` and `serve` cleanly (exit 0) and anything else
 * quietly (exit 130), and no stack trace ever reaches the terminal.
 *
 * And how fast a run starts: on Node 22.1 and later the CLI keeps V8's compiled code of its modules
 * in Node's compile cache (`os.tmpdir()/node-compile-cache`, or `NODE_COMPILE_CACHE`; off with
 * `NODE_DISABLE_COMPILE_CACHE=1`), as tsc does, so a run after the first skips compiling them.
 * It is a process-wide switch, which a program may turn on and a library may not: only the CLI
 * does. The rest of the CLI loads after it, hence the dynamic import below.
 */
import nodeModule from 'node:module';
import type { Io } from './output.js';

// Node 20 has no compile cache; the switch never throws (a cache it cannot write is skipped).
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runCli } = await import('./run.js');

function quietExit(code: number): never {
  process.exit(code);
}

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => quietExit(err.code === 'EPIPE' ? 0 : 1));
}
process.on('uncaughtException', (err) => {
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') quietExit(0);
  try {
    process.stderr.write(`confstack: internal error (${err.name})\n`);
  } finally {
    quietExit(1);
  }
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`confstack: internal error (${reason instanceof Error ? reason.name : typeof reason})\n`);
  quietExit(1);
});

const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
const controller = new AbortController();
const argv = process.argv.slice(2);
// Only `watch` and `serve` run until interrupted; elsewhere an interrupt ends the run at once.
const isWatch = argv.includes('watch') || argv.includes('serve');
process.on('SIGINT', () => {
  if (!isWatch || controller.signal.aborted) quietExit(130);
  controller.abort();
});
process.on('SIGTERM', () => {
  if (!isWatch || controller.signal.aborted) quietExit(143);
  controller.abort();
});

const result = await runCli(argv, io, controller.signal);
// Let stdout drain (pipes to a slow reader) before exiting.
process.stdout.write('', () => quietExit(result.code));
