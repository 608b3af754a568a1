#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what .clang-format asks (Debian 12's clang-format 14).
# Lists every such file with the command that fixes it. Exit 77 (skipped) without clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=${CLANG_FORMAT:-clang-format}
if ! command -v "$formatter" >/dev/null 2>&1; then
    echo "SKIP: $formatter is not installed (Debian package clang-format)"
    exit 77
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "SKIP: not a git checkout, no list of tracked files"
    exit 77
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
# One clang-format per core over all files; its diagnostics name each file that differs.
existing=()
for f in "${files[@]}"; do [[ -f $f ]] && existing+=("$f"); done
status=0
output=$(printf '%s\0' "${existing[@]}" | xargs -0 -P "$(nproc)" -n 40 "$formatter" --dry-run -Werror 2>&1) ||
    status=$?
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$output" | sort -u)
if ((status != 0 && ${#bad[@]} == 0)); then
    echo "$formatter failed (exit status $status):"
    echo "$output" | head -20
    exit 1
fi
if ((${#bad[@]})); then
    echo "${#bad[@]} of ${#files[@]} C++ files differ from .clang-format ($("$formatter" --version)):"
    printf '  %s\n' "${bad[@]}"
    echo "fix with: $formatter -i ${bad[*]}"
    exit 1
fi
echo "all ${#files[@]} C++ files follow .clang-format"
