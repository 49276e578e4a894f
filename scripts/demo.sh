#!/usr/bin/env bash
# `npm run demo`: the confstack CLI over examples/, as a newcomer would first see it.
# Needs only `npm ci` (npm run demo builds first); no etcd, no network, no API key.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI="$ROOT/dist/cli/main.js"
[ -f "$CLI" ] || (cd "$ROOT" && npm run build --silent)
confstack() { node "$CLI" "$@"; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The environment a deployment would provide. Nothing here is a real secret.
export OPENAI_API_KEY="sk-demo-0000000000000000"            # interpolated as ${OPENAI_API_KEY}
export CONFSTACK_SERVER__PORT=9090                         # overrides server.port from the file
export CONFSTACK_AGENTS__RESEARCHER__MAX_ITERATIONS=20     # a list item, selected by its name
printf 'postgres://app:demo-db-password@db:5432/app\n' > "$TMP/db-url"
export CONFSTACK_VECTOR_STORES__DOCS__CONNECTION_STRING_FILE="$TMP/db-url"   # a secret from a file
unset CONFSTACK_PROFILE

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
cd "$ROOT/examples"   # confstack finds ./config/config.yaml on its own

echo "confstack demo: examples/config/config.yaml, with these variables set:"
echo "  OPENAI_API_KEY=sk-demo-…  CONFSTACK_SERVER__PORT=9090"
echo "  CONFSTACK_AGENTS__RESEARCHER__MAX_ITERATIONS=20"
echo "  CONFSTACK_VECTOR_STORES__DOCS__CONNECTION_STRING_FILE=<temp file>"

step "confstack print --sources      # the merged config; every value says where it came from"
confstack print --sources

step "confstack explain server.port  # which source won, and the sources in priority order"
confstack explain server.port

step "confstack get agents[0].max_iterations"
confstack get 'agents[0].max_iterations'

step "confstack validate             # the framework schema: types, required fields, references"
confstack validate

step "confstack health               # each source checked; exit 1 when unhealthy"
confstack health

cat > "$TMP/override.yaml" <<'YAML'
llm_providers:
  - name: local
    base_url: not-a-url
    default_call_options:
      max_tokens: 0
YAML
step "confstack validate -c config/config.yaml -c override.yaml   # bad values are located (exit 1)"
set +e
confstack validate -c config/config.yaml -c "$TMP/override.yaml"
code=$?
set -e
echo "(exit code $code: 1 means a configuration error; the running app would keep its last good config)"
[ "$code" = 1 ]

printf '\nMore: confstack --help, docs/operators.md, and the examples/*.ts programs.\n'
