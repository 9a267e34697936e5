#!/bin/sh
# Install Debian's Chromium for the browser tests (tests/e2e), unless it is there already.
# Playwright drives this system browser; no browser is downloaded by `playwright install`.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-browser: $CHROMIUM is missing and this user is not root and has no sudo;" >&2
    echo "install-browser: run as root: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and apt-get is not available (not Debian?);" >&2
    echo "install-browser: install Chromium so that it is at $CHROMIUM" >&2
    exit 1
fi

echo "install-browser: installing Debian's chromium (apt-get)…"
if ! $SUDO apt-get update -q; then
    echo "install-browser: apt-get update failed; check the network and APT sources" >&2
    exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium; then
    echo "install-browser: apt-get install chromium failed" >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: chromium was installed but $CHROMIUM is missing" >&2
    exit 1
fi
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) at $CHROMIUM"
