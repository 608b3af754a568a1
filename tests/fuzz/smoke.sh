#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang + ASan/UBSan in a separate
# build folder and runs each one briefly from the shared fixtures as seeds.
#   tests/fuzz/smoke.sh                 # about 40 s of fuzzing in total (after the build)
#   RMM_FUZZ_SECONDS=300 tests/fuzz/smoke.sh   # longer campaign, split between the targets
# Environment: RMM_FUZZ_BUILD (build folder, default <repo>/build-fuzz), RMM_SHARED_DIR
# (fixtures, default <repo>/../shared), RMM_FUZZ_SECONDS (total fuzzing time, default 40).
# Target fuzz_<fmt> takes its seeds from shared/data/<fmt>/*.<fmt>: ABF fixtures cut down to a few KB
# each by make_seeds (full-size ones slow libFuzzer to ~10 inputs/s), others as they are; fuzz_hdf5
# from make_seeds --hdf5 and two small NWB/RTXI fixtures. Exit status
# is non-zero when a target finds a crash; the reproducer is left in the build folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${RMM_FUZZ_BUILD:-$root/build-fuzz}
shared=${RMM_SHARED_DIR:-$root/../shared}
total=${RMM_FUZZ_SECONDS:-40}

command -v clang++ >/dev/null || { echo "smoke.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
# -O1 with line tables only: crash reports keep file:line, and the instrumented engine builds in
# much less time than with -O2 -g (the build is most of this script's time in CI).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DRMM_BUILD_GUI=OFF -DRMM_BUILD_TESTS=OFF -DRMM_FUZZ=ON -DRMM_NATIVE=OFF >/dev/null

targets=()
for src in "$here"/fuzz_*.cpp; do
    targets+=("$(basename "$src" .cpp)")
done
ninja -C "$build" -j2 "${targets[@]}" make_seeds

per=$(( total / ${#targets[@]} ))
(( per >= 1 )) || per=1
status=0
for t in "${targets[@]}"; do
    fmt=${t#fuzz_}
    work="$build/fuzz-work/$t"
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
    extra=()
    if [ "$fmt" = hdf5 ]; then
        # Small engine-written files, plus the smallest real NWB and RTXI fixtures.
        "$build/tests/fuzz/make_seeds" --hdf5 "$work/seeds"
        for f in "$shared/data/rtxi/hmm_gen_decode_rec1.h5" "$shared/data/nwb/UntitledExperiment-2018_12_03_234957-compressed.nwb"; do
            [ -f "$f" ] && cp "$f" "$work/seeds/"
        done
        # libhdf5's own crashes and hangs end one fuzzing job each and are kept as artifacts
        # (see fuzz_hdf5.cpp); they are replayed below through the engine's process isolation.
        extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    elif [ -d "$shared/data/$fmt" ]; then
        mapfile -t fixtures < <(find "$shared/data/$fmt" -maxdepth 1 -type f -name "*.$fmt" | sort)
        if [ "${#fixtures[@]}" -gt 0 ]; then
            if [ "$fmt" = abf ]; then
                # ABF fixtures are cut down to a few KB (make_seeds knows the ABF layout).
                "$build/tests/fuzz/make_seeds" "$work/seeds" "${fixtures[@]}" >/dev/null
            else
                cp "${fixtures[@]}" "$work/seeds/"
            fi
        fi
    fi
    # Inputs that once found a bug (tests/fuzz/regressions/<format>/) run first, every time.
    if [ -d "$here/regressions/$fmt" ]; then
        cp "$here/regressions/$fmt"/* "$work/seeds/"
    fi
    echo "== $t: ${per} s, seeds: $(ls "$work/seeds" | wc -l) files"
    rc=0
    "$build/tests/fuzz/$t" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 "${extra[@]}" \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$work/seeds" || rc=$?
    # (In fork mode libFuzzer exits non-zero when it kept artifacts; those are judged by the replay.)
    if [ "$rc" -ne 0 ] && { [ "$fmt" != hdf5 ] || [ -z "$(ls "$work/artifacts")" ]; }; then
        echo "== $t FAILED: reproducer in $work/artifacts" >&2
        status=1
    fi
    if [ "$fmt" = hdf5 ]; then
        n=0
        for a in "$work"/artifacts/*; do
            [ -f "$a" ] || continue
            n=$((n + 1))
            if ! RMM_FUZZ_ISOLATED=1 "$build/tests/fuzz/$t" "$a" >"$a.replay.log" 2>&1; then
                echo "== $t FAILED: $a is not contained by the process isolation (see $a.replay.log)" >&2
                status=1
            fi
        done
        echo "== $t: $n libhdf5 crash/hang input(s) found, each replayed through the isolation"
    fi
done
exit $status
