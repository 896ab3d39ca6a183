#!/bin/sh
# Make sure Debian's Chromium is installed at /usr/bin/chromium (the browser tests drive it
# with Playwright; `playwright install` is never used). Idempotent and quiet: does nothing when
# Chromium is already there. Needs root or passwordless sudo, and apt (Debian/Ubuntu).
set -eu

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available" >&2
    exit 1
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure_chromium: $CHROMIUM is missing; run as root (apt-get install chromium)" >&2
        exit 1
    fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq &&
       $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           chromium; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure_chromium: installing chromium with apt-get failed" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get installed chromium but $CHROMIUM is missing" >&2
    exit 1
fi
