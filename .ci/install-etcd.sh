#!/usr/bin/env bash
# Installs an etcd server for the etcd layer's tests (runtime: io.qcfg.internal.etcd).
# Those tests start real etcd processes on loopback and skip themselves when no `etcd` binary is
# on PATH, so this script is optional: without it the suite still passes, with fewer tests run.
# Debian's etcd-server (3.4.x on bookworm) serves the v3 JSON gateway at /v3/... as qcfg needs.
# Needs root (or passwordless sudo) for apt-get; does nothing when etcd is already installed.
set -euo pipefail
if command -v etcd >/dev/null 2>&1; then
  echo "etcd already installed: $(command -v etcd)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq etcd-server
# The package also starts a system etcd on 2379; the tests use their own random ports.
etcd --version | sed -n 1p  # sed reads all: head would end etcd with SIGPIPE under pipefail
