#!/bin/sh
# Make sure Debian's PostgreSQL server (initdb, pg_ctl under /usr/lib/postgresql/*/bin) is
# installed: the PostgreSQL store tests start a throw-away cluster with them. Idempotent and
# quiet: does nothing when the server is already there. Needs root or passwordless sudo, and
# apt (Debian/Ubuntu).
set -eu

have_server() {
    for bin in /usr/lib/postgresql/*/bin; do
        if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ]; then
            return 0
        fi
    done
    return 1
}

if have_server; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: no PostgreSQL server under /usr/lib/postgresql and apt-get is not available" >&2
    exit 1
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure_postgres: PostgreSQL server missing; run as root (apt-get install postgresql)" >&2
        exit 1
    fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq &&
       $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           postgresql; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure_postgres: installing postgresql with apt-get failed" >&2
    exit 1
fi
if ! have_server; then
    echo "ensure_postgres: apt-get installed postgresql but no initdb/pg_ctl under /usr/lib/postgresql/*/bin" >&2
    exit 1
fi
