#!/bin/sh
# Make sure the Debian packages the test suite drives for real are installed:
#   chromium    /usr/bin/chromium, for the browser tests (Playwright; never `playwright install`)
#   postgresql  initdb / pg_ctl under /usr/lib/postgresql/*/bin, for the PostgreSQL store tests
#   redis-server  the Celery broker of the scale-out test (tests/test_celery_scale_out.py)
# Idempotent and quiet: does nothing when all are there. Needs root or passwordless sudo, and
# apt (Debian/Ubuntu).
set -eu

have_chromium() { [ -x /usr/bin/chromium ]; }
have_postgres() {
    for bin in /usr/lib/postgresql/*/bin; do
        if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ]; then
            return 0
        fi
    done
    return 1
}
have_redis() { command -v redis-server >/dev/null 2>&1; }

missing=
have_chromium || missing="$missing chromium"
have_postgres || missing="$missing postgresql"
have_redis || missing="$missing redis-server"
[ -n "$missing" ] || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_test_packages: missing:$missing, and apt-get is not available" >&2
    exit 1
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure_test_packages: missing:$missing; run as root (apt-get install$missing)" >&2
        exit 1
    fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# shellcheck disable=SC2086  # $missing is a list of package names
if ! { $SUDO apt-get update -qq &&
       $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           $missing; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure_test_packages: apt-get install$missing failed" >&2
    exit 1
fi
have_chromium || { echo "ensure_test_packages: /usr/bin/chromium still missing" >&2; exit 1; }
have_postgres || { echo "ensure_test_packages: initdb/pg_ctl still missing" >&2; exit 1; }
have_redis || { echo "ensure_test_packages: redis-server still missing" >&2; exit 1; }
