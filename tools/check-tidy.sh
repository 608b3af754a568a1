#!/usr/bin/env bash
# clang-tidy over the engine and the command-line tool with the checks of .clang-tidy (every
# warning is an error). Configures its own build folder for compile_commands.json (nothing is
# compiled; the GUI and the tests are left out: Qt's headers would double the time).
# Usage: tools/check-tidy.sh [BUILD_DIR]   (default build-tidy; needs clang-tidy and cmake)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-tidy}
env -u CMAKE_CXX_COMPILER_LAUNCHER -u CMAKE_C_COMPILER_LAUNCHER cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DRMM_BUILD_GUI=OFF -DRMM_BUILD_TESTS=OFF > /dev/null
jobs=$(nproc)
# run-clang-tidy exits non-zero when any file has a warning (WarningsAsErrors in .clang-tidy).
if ! run-clang-tidy -p "$dir" -j "$jobs" -quiet "$PWD/(engine|app/cli)/" > "$dir/clang-tidy.log" 2>&1; then
    grep -E 'warning:|error:' "$dir/clang-tidy.log" | sort -u || true
    echo "clang-tidy: the findings above break .clang-tidy's checks (full log: $dir/clang-tidy.log)" >&2
    exit 1
fi
echo "clang-tidy: the engine and the CLI are clean"
