#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser tests; installs it with apt-get
# when missing. Exits non-zero with the reason when it cannot (not root, no apt-get, no
# network to the Debian mirror): the browser tests would fail without it.
# Point CONCERTATION_CHROMIUM at another Chromium binary to use it instead.
set -euo pipefail

log() { echo "[browser] $*" >&2; }
die() {
    echo "[browser] ERROR: $*" >&2
    echo "[browser] The browser tests need Debian's chromium: install it with" \
         "'apt-get install chromium' (as root), or set CONCERTATION_CHROMIUM=/path/to/chromium." >&2
    exit 1
}

CHROMIUM="${CONCERTATION_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
[ -n "${CONCERTATION_CHROMIUM:-}" ] && die "CONCERTATION_CHROMIUM=$CHROMIUM is not an executable"
command -v apt-get >/dev/null || die "$CHROMIUM is missing and apt-get is not available here"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
        die "$CHROMIUM is missing and installing it needs root (run as root, or passwordless sudo)"
    SUDO="sudo -n"
fi
log "installing Debian's chromium with apt-get (a minute or two, once)"
export DEBIAN_FRONTEND=noninteractive
APT_LOG="$(mktemp)"
trap 'rm -f "$APT_LOG"' EXIT
apt() {  # quiet unless it fails; then the end of its output explains why
    $SUDO apt-get "$@" >"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; return 1; }
}
apt update -qq || die "'apt-get update' failed (no access to the Debian mirror?)"
apt install -y -qq --no-install-recommends chromium ||
    die "'apt-get install chromium' failed (see above)"
[ -x "$CHROMIUM" ] || die "apt-get installed chromium but $CHROMIUM is still missing"
log "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
