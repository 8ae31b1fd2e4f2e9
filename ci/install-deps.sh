#!/usr/bin/env bash
# Installs everything tcpcheck needs on a fresh Debian 12 machine, as root.
# Idempotent and non-interactive. Nothing is downloaded from anywhere but
# Debian's package archive: lwIP 2.1.3 comes from Debian's source package.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
top=$(cd "$(dirname "$0")/.." && pwd)
lwip_dir="$top/third_party/lwip"

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(
  build-essential gcc clang libclang-rt-14-dev llvm cmake pkg-config
  clang-format clang-tidy
  libnl-3-dev libnl-route-3-dev libnl-idiag-3-dev
  libcjson-dev libcmocka-dev libpcap-dev
  tshark libxml2-utils iproute2 ethtool dpkg-dev gcovr python3
)

# Add a deb-src entry for the configured suite when the machine has none,
# so that `apt-get source lwip` can work.
ensure_deb_src() {
  if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local suite uri
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  uri=http://deb.debian.org/debian
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  echo "install-deps: adding deb-src for $suite ($uri)"
  sudo_if_needed tee /etc/apt/sources.list.d/tcpcheck-src.sources >/dev/null <<SRC
Types: deb-src
URIs: $uri
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt_updated=0
}

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

apt_updated=1
ensure_deb_src
missing=$(missing_packages)
if [ -n "$missing" ] || [ ! -f "$lwip_dir/src/include/lwip/tcp.h" ]; then
  sudo_if_needed apt-get update -q
fi
if [ -n "$missing" ]; then
  # tshark asks whether non-root users may capture; answer no, quietly.
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    sudo_if_needed debconf-set-selections
  # shellcheck disable=SC2086
  sudo_if_needed apt-get install -y -q --no-install-recommends $missing
fi

# lwIP 2.1.3 from Debian's source package, into third_party/lwip.
if [ ! -f "$lwip_dir/src/include/lwip/tcp.h" ]; then
  tmp=$(mktemp -d)
  chmod 755 "$tmp"   # apt downloads as _apt, which must reach it
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get source -q --download-only lwip >/dev/null &&
     dpkg-source --no-check -x ./*.dsc lwip-src >/dev/null)
  rm -rf "$lwip_dir"
  mkdir -p "$(dirname "$lwip_dir")"
  mv "$tmp/lwip-src" "$lwip_dir"
fi
version=$(grep -E 'define LWIP_VERSION_(MAJOR|MINOR|REVISION)' \
  "$lwip_dir/src/include/lwip/init.h" | awk '{printf "%s.", $3}' | sed 's/\.$//; s/U//g')
echo "install-deps: ok (lwIP $version in third_party/lwip)"
