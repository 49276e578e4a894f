#!/usr/bin/env bash
# Makes /usr/bin/chromium available for the browser tests (Debian's chromium package). Nothing
# downloads a browser build of its own: playwright-core drives this one. Without it (no root or
# no apt-get), the browser tests report skipped.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium (Debian) for the browser tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || echo "could not install chromium" >&2
else
  echo "chromium is not installed and cannot be installed here (need root + apt-get)" >&2
fi
exit 0
