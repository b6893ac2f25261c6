#!/usr/bin/env bash
# The end-to-end tests drive Debian's chromium package (no browser is downloaded). Installs it
# when it is missing: as root directly, otherwise through sudo. Prints one line either way.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    echo "chromium: $(command -v chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install Chromium (Debian/Ubuntu package 'chromium') for the end-to-end tests" >&2
    exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    chromium >/dev/null
echo "chromium: $(command -v chromium) (installed)"
