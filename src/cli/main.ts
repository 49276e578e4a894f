#!/usr/bin/env node
/**
 * The `confstack` bin: wires runCli to the process. Owns the process-level rules: EPIPE on
 * stdout (`| head -1`) exits 0 quietly, SIGINT stops `watch` and `serve` cleanly (exit 0) and anything else
 * quietly (exit 130), and no stack trace ever reaches the terminal.
 */
import { runCli } from './run.js';
import type { Io } from './output.js';

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
