#!/bin/sh
# Installs what the spanlog-tree tests need beyond the build: Debian's chromium, for the
# test that opens the HTML page headless. Run as root; does nothing when it is there.
set -e
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y chromium
