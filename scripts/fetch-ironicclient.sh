#!/usr/bin/env bash
# A newer python-ironicclient for the tests of commands bookworm's 5.0.1 lacks (`baremetal node
# inventory save`): trixie's python3-ironicclient and the platformdirs it needs (both pure Python)
# are downloaded with apt from the mirror this machine already uses, and extracted with dpkg-deb
# into ~/.cache/galvanic/ironicclient. It runs with bookworm's python3 and its installed
# openstacksdk, osc-lib and cliff, with the extracted dist-packages first on PYTHONPATH:
#   PYTHONPATH=<cache>/dist-packages /usr/bin/python3 <cache>/bin/baremetal ...
# Prints the cache directory. The system's apt lists are left alone: trixie's index goes to a
# private state directory that is removed afterwards.
set -euo pipefail

SUITE=trixie
PACKAGES=(python3-ironicclient python3-platformdirs)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/galvanic/ironicclient

if [ -x "$cache/bin/baremetal" ] && [ -d "$cache/dist-packages/ironicclient" ]; then
  echo "$cache"
  exit 0
fi

# The Debian archive this machine's apt already uses (deb822 or one-line sources).
mirror=$(
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' || true
    sed -n -E 's/^deb (\[[^]]*\] )?([^ ]+).*/\2/p' /etc/apt/sources.list 2>/dev/null || true
  } | { grep -v -- '-security' || true; } | head -1
)
if [ -z "$mirror" ]; then
  echo 'fetch-ironicclient: no Debian mirror found in the apt sources' >&2
  exit 1
fi

mkdir -p "$(dirname "$cache")"
work=$(mktemp -d "$(dirname "$cache")/ironicclient-download-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $SUITE main" \
  >"$work/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work"
  -o "Dir::Cache::archives=$work/archives"
  -o Dir::Cache::pkgcache=
  -o Dir::Cache::srcpkgcache=
  -o APT::Sandbox::User=root
)
apt-get "${apt_options[@]}" update -qq
(cd "$work/debs" && apt-get "${apt_options[@]}" download -qq "${PACKAGES[@]}")
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

mkdir -p "$work/cache/bin"
mv "$work/root/usr/lib/python3/dist-packages" "$work/cache/dist-packages"
mv "$work/root/usr/bin/baremetal" "$work/cache/bin/baremetal"
(cd "$work/debs" && ls ./*.deb) >"$work/cache/packages.txt"
rm -rf "$cache" # an incomplete one: a complete one was taken above
# Another fetch running at the same time may have put its copy in place first; either will do.
mv -T "$work/cache" "$cache" 2>/dev/null || [ -d "$cache/dist-packages/ironicclient" ]
echo "$cache"
