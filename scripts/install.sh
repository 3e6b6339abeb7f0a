#!/usr/bin/env bash
# Installs what slipway's tests need on a fresh Debian machine: shellcheck (a Debian package; the
# tests check every generated deploy script with it), then the npm dependencies from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v shellcheck > /dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq shellcheck
fi
npm ci
