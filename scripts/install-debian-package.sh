#!/usr/bin/env bash
# Installs one of Debian's packages the tests need (chromium, postgresql) unless PROBE finds it there; needs root.
# Usage: scripts/install-debian-package.sh PACKAGE 'PROBE'   (PROBE: shell code that succeeds when it is installed)
set -euo pipefail
package=$1 probe=$2
if bash -c "$probe" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$package is missing: run 'sudo apt-get install -y $package' (the tests that need it will be skipped)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "$package" >/dev/null
