#!/usr/bin/env bash
# The test command: installs what the tests need (etcd-server from Debian when missing), builds
# (integration tests run the built CLI and package entry points), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then npm ci; fi
bash scripts/ensure-etcd.sh
npm run build --silent
npx vitest run "$@"
