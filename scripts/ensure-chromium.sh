#!/usr/bin/env bash
# The html report's browser test opens the page in headless Chromium: Debian's `chromium` package.
# Installs it (with apt-get, as root or through sudo) when it is missing; does nothing when it is there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "ensure-chromium: the browser test needs Debian's chromium: run 'apt-get install chromium' as root." >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "ensure-chromium: installing Debian's chromium for the html report's browser test (once)..." >&2
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
