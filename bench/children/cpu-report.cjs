// Preloaded with --require into every process the process bench times: at exit, reports the CPU
// time the process used (user + system, µs) on stderr, where bench/cases/process.ts reads it.
// CPU time, unlike wall time, does not count the waits for a core on a shared, busy machine.
// CommonJS, so that the baseline `node -e 0` does not start the ESM loader for it.
'use strict';
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nBENCH_CPU_US ${user + system}\n`);
});
