#!/usr/bin/env bash
# Installs the Debian packages revops needs to build and test, when they are missing.
# Run as root it uses apt-get; otherwise it names the command to run and fails.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libsqlite3-dev sqlite3
    libgsl-dev
    libyaml-dev
    libcmocka-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "revops: missing Debian packages: ${missing[*]}" >&2
    echo "revops: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "revops: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
