#!/usr/bin/env bash
# Installs the Debian 12 packages the workbench needs, only those that are missing.
set -euo pipefail
packages=(build-essential cmake pkg-config qt6-base-dev qt6-tools-dev qt6-svg-dev libqt6sql6-sqlite
          libqcustomplot-dev libopenblas-dev libsqlite3-dev nlohmann-json3-dev libsentencepiece-dev libdnnl-dev
          libxxhash-dev libicu-dev xvfb xauth fonts-dejavu-core poppler-utils
          clang libclang-rt-14-dev sqlite3 python3 ccache)  # the last line: fuzzers, sanitizers, compiler cache
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
