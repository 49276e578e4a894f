#!/usr/bin/env bash
# Makes the `etcd` binary available for the etcd tests (Debian's etcd-server package).
set -uo pipefail
if command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing etcd-server (Debian) for the etcd tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends etcd-server >/dev/null 2>&1 || echo "could not install etcd-server" >&2
  # The package may start a system etcd on 2379; the tests start their own on free ports.
  (systemctl stop etcd 2>/dev/null || service etcd stop 2>/dev/null || pkill -x etcd 2>/dev/null) || true
else
  echo "etcd is not installed and cannot be installed here (need root + apt-get)" >&2
fi
exit 0
