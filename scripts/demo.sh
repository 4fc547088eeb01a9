#!/usr/bin/env bash
# Builds the workbench and runs it on the built-in demo: the window when a display exists, else the headless demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./build/dynamax demo "$@"
