#!/usr/bin/env bash
# Fetch the Linux kernel's packetdrill selftests
# (tools/testing/selftests/net/packetdrill/) from Debian's Linux 6.12 source
# package (bookworm-backports) into third_party/kselftest-packetdrill/
# (git-ignored; never under specs/). Only that folder is extracted from the
# upstream tarball. Needs root for the deb-src entry and apt-get update.
#   ci/fetch-kselftest-pkt.sh            # idempotent
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$top/third_party/kselftest-packetdrill
if [ -f "$dest/.fetched" ]; then
  echo "kselftest-pkt: already in $dest"
  exit 0
fi
src=/etc/apt/sources.list.d/tcpcheck-bookworm-backports-src.sources
if [ ! -f "$src" ]; then
  cat >"$src" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source --download-only -qq linux/bookworm-backports
orig=$(ls linux_6.12*.orig.tar.* | head -n1)
mkdir -p "$dest"
tar -xf "$orig" --wildcards --strip-components=1 -C "$work" '*/tools/testing/selftests/net/packetdrill/*'
rm -rf "$dest"/*
cp -r "$work"/tools/testing/selftests/net/packetdrill/. "$dest"/
echo "$orig" >"$dest/.fetched"
echo "kselftest-pkt: $(ls "$dest"/*.pkt | wc -l) scripts in $dest (from $orig)"
