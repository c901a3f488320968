#!/usr/bin/env bash
# Idempotent set-up: installs what is missing, does nothing when all is present.
# Called first by `npm run demo` and `npm test` so a fresh Debian machine needs
# only Node and apt.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
command -v iverilog >/dev/null 2>&1 && command -v vvp >/dev/null 2>&1 || missing+=(iverilog)
command -v yosys >/dev/null 2>&1 || missing+=(yosys)
# Headless Chromium for the report's browser test (driven by playwright-core).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "accelforge setup: missing ${missing[*]}; install with: apt-get install -y ${missing[*]}" >&2
    exit 3
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "accelforge setup: installing ${missing[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is absent or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "accelforge setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
