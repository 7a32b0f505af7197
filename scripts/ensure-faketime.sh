#!/usr/bin/env bash
# `make test-future` moves the machine's clock years ahead with Debian's `faketime` package.
# Installs it (with apt-get, as root or through sudo) when it is missing; does nothing when it is there.
set -euo pipefail

if command -v faketime >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "ensure-faketime: make test-future needs Debian's faketime: run 'apt-get install faketime' as root." >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "ensure-faketime: installing Debian's faketime for make test-future (once)..." >&2
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime >/dev/null
