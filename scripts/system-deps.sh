#!/usr/bin/env bash
# System packages the full test suite needs on a bare Debian machine: Debian's Chromium for the
# browser tests (never `playwright install`: it downloads, which this network forbids) and
# PostgreSQL for the team-store tests. Installs only what is missing; needs root or sudo.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-deps: need root or sudo to install: ${need[*]} (browser/PostgreSQL tests will skip)" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
