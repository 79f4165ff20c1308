#!/usr/bin/env bash
# Installs the system packages filings needs on Debian or Ubuntu (the Swift toolchain is assumed):
# the protobuf-c, SQLite (with FTS5), libdeflate and libarchive libraries, and the code generators used by
# dev/generate-protos.sh.
set -euo pipefail
packages=(libprotobuf-c-dev libsqlite3-dev libdeflate-dev libarchive-dev protobuf-c-compiler protobuf-compiler python3-protobuf
    pkg-config)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
