#!/usr/bin/env bash
# Builds the workbench and runs the whole test suite (CTest). Tests read ../shared (or $DYNAMAX_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
