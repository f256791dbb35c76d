#!/usr/bin/env bash
# Installs Debian's Chromium for the status page's browser test (agent: StatusPageBrowserIT),
# which skips itself, with the reason, when no browser is installed. Needs root or sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(command -v chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium > /dev/null
command -v chromium
