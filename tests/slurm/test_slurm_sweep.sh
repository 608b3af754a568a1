#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end on a real SLURM cluster (issue 19): starts a single-node cluster on this machine
# (slurm_cluster.sh), makes a short synthetic recording, submits a 4-run sweep (2 values of
# training.rho x 2 seeds) with `rmm sweep slurm --submit` as a job array that runs at most 2
# tasks at once, waits for it, and checks the run folders, `rmm sweep status` and
# `rmm sweep summary` (summary.csv: 4 rows, all done). Submitting again must submit nothing.
# The cluster is always stopped at the end.
#
#   test_slurm_sweep.sh /path/to/rmm
#
# Exit 77 (CTest: skipped) only when the cluster cannot be started (not root, slurm-wlm or munge
# not installed, a daemon fails); the reason is printed to stdout and stderr.
set -uo pipefail

if [[ $# -ne 1 || ! -x $1 ]]; then
    echo "usage: $0 /path/to/rmm (an executable)" >&2
    exit 2
fi
RMM=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
CLUSTER=$HERE/slurm_cluster.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rmm-slurm-sweep.XXXXXX")
chmod 755 "$WORK" # munged wants its socket's folders searchable by all
export RMM_SLURM_DIR=$WORK/cluster
SWEEP="$WORK/the sweep" # a space in the path, on purpose
JOB=""

say() { echo "test_slurm_sweep: $*"; }

# CTest shows nothing a skipped test prints, not even with --output-on-failure; so the reason also
# goes into ctest's own output when that is a pipe or a terminal (as in CI), where it lands just
# above the "***Skipped" line.
skip() {
    local line="test_slurm_sweep: SKIPPED: $*"
    echo "$line"
    echo "$line" >&2
    if [[ $(cat "/proc/$PPID/comm" 2>/dev/null) == ctest ]]; then
        local out
        out=$(readlink "/proc/$PPID/fd/1" 2>/dev/null)
        if [[ $out == pipe:* || $out == /dev/pts/* || $out == /dev/tty* ]]; then
            echo "$line" >>"/proc/$PPID/fd/1" 2>/dev/null || true
        fi
    fi
    exit 77
}

fail() {
    echo "test_slurm_sweep: FAILED: $*" >&2
    show_logs
    exit 1
}

show_logs() {
    local f
    for f in "$SWEEP"/runs/slurm-*.log "$SWEEP"/runs/*/train.log; do
        [[ -f $f ]] || continue
        echo "---- $f (last lines):" >&2
        tail -n 15 "$f" >&2
    done
    for f in "$RMM_SLURM_DIR"/log/slurmctld.log "$RMM_SLURM_DIR"/log/slurmd.log; do
        [[ -f $f ]] || continue
        echo "---- $f (last lines):" >&2
        tail -n 20 "$f" >&2
    done
    if [[ -n $JOB ]]; then
        echo "---- squeue:" >&2
        squeue -h -r -t all -o "%i %T %r" -j "$JOB" >&2 2>&1
    fi
}

# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
    bash "$CLUSTER" stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

# Free ports for this cluster, so that it never meets another one (or a real SLURM) here.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
    local p i
    for ((i = 0; i < 50; ++i)); do
        p=$((20000 + RANDOM % 20000))
        if port_free "$p" && [[ $p != "${1:-}" ]]; then
            echo "$p"
            return
        fi
    done
    echo 16817
}
RMM_SLURM_CTLD_PORT=$(pick_port)
RMM_SLURM_SLURMD_PORT=$(pick_port "$RMM_SLURM_CTLD_PORT")
export RMM_SLURM_CTLD_PORT RMM_SLURM_SLURMD_PORT

# ---- the cluster
bash "$CLUSTER" start >"$WORK/cluster.out" 2>"$WORK/cluster.err"
rc=$?
if [[ $rc != 0 ]]; then
    cat "$WORK/cluster.out" "$WORK/cluster.err"
    cat "$WORK/cluster.err" >&2
    if [[ $rc == 77 ]]; then
        reason=$(grep -m1 '^SKIP:' "$WORK/cluster.err" | sed 's/^SKIP: //')
        skip "${reason:-the SLURM cluster could not be started (see above)}"
    fi
    fail "slurm_cluster.sh start exited $rc"
fi
export SLURM_CONF=$RMM_SLURM_DIR/etc/slurm.conf
say "cluster up: $(sinfo -h -o '%P %T %c CPUs' | head -n 1)"

# ---- a tiny experiment: 2 x 4 s of synthetic recording, 2 epochs of teacher forcing
mkdir -p "$WORK/exp"
"$RMM" synth --seconds 4 --trials 2 --out "$WORK/exp/rec.h5" --quiet || fail "rmm synth failed"
cat >"$WORK/exp/base.json" <<'EOF'
{"data": {"file": "rec.h5", "trials": ["trial1", "trial2"],
  "neurons": [{"v": "v1", "u": "u1", "isyn": "Isyn1"}, {"v": "v2", "u": "u2", "isyn": "Isyn2"}],
  "train_fraction": 0.75, "validation_trial": "trial1"},
 "model": {"synapse": "lumped"},
 "training": {"method": "tf", "epochs": 2, "batches": 4, "seed": 1, "threads": 1}}
EOF
cat >"$WORK/exp/spec.json" <<'EOF'
{"grid": {"training.rho": [5e-9, 5e-8]}, "seeds": [1, 2]}
EOF

# ---- submit
cd "$WORK" || fail "cannot enter $WORK"
"$RMM" sweep slurm --config exp/base.json --spec exp/spec.json --out "$SWEEP" --partition debug \
    --time 10 --mem 300M --cpus 1 --max-parallel 2 --submit >"$WORK/submit.out" 2>&1
rc=$?
cat "$WORK/submit.out"
[[ $rc == 0 ]] || fail "rmm sweep slurm --submit exited $rc"
JOB=$(sed -n 's/^submitted: SLURM job \([0-9][0-9]*\) .*/\1/p' "$WORK/submit.out")
[[ -n $JOB ]] || fail "no 'submitted: SLURM job N' line in the output"
grep -q '^#SBATCH --array=0-3%2$' "$SWEEP/sweep.sbatch" || fail "sweep.sbatch has no '--array=0-3%2'"
grep -q "^$JOB submitted=" "$SWEEP/slurm_jobs.txt" || fail "job $JOB is not in slurm_jobs.txt"
throttle=$(scontrol show job "$JOB" 2>/dev/null | grep -o 'ArrayTaskThrottle=[0-9]*' | head -n 1)
[[ $throttle == ArrayTaskThrottle=2 ]] || fail "SLURM shows '${throttle:-no throttle}' for job $JOB, expected ArrayTaskThrottle=2"
"$RMM" sweep status "$SWEEP" || fail "rmm sweep status failed while the job was queued"

# ---- wait for the array (at most 5 minutes)
for ((i = 0; i < 300; ++i)); do
    left=$(squeue -h -r -j "$JOB" -o %i 2>/dev/null | wc -l)
    ((left == 0)) && break
    sleep 1
done
((left == 0)) || fail "job $JOB still has $left task(s) in the queue after 300 s"
say "job $JOB finished after about $i s"

# ---- the run folders
for n in 0 1 2 3; do
    run="$SWEEP/runs/000$n"
    [[ $(cat "$run/exit_code" 2>/dev/null) == 0 ]] || fail "run $n: exit_code is '$(cat "$run/exit_code" 2>&1)', expected 0"
    [[ -f $run/result/report.json && -f $run/result/model.h5 ]] || fail "run $n: result/ is incomplete"
    grep -q "slurm_job=${JOB}_$n\$" "$run/started" || fail "run $n: started says '$(cat "$run/started")'"
    [[ -f "$SWEEP/runs/slurm-${JOB}_$n.log" ]] || fail "run $n: no task log runs/slurm-${JOB}_$n.log"
done

# ---- status and summary
"$RMM" sweep status "$SWEEP" >"$WORK/status.out" 2>&1 || fail "rmm sweep status exited $?"
cat "$WORK/status.out"
grep -q '4 run(s), 4 done' "$WORK/status.out" || fail "rmm sweep status does not say '4 run(s), 4 done'"
"$RMM" sweep summary "$SWEEP" >"$WORK/summary.out" 2>&1 || fail "rmm sweep summary exited $?"
cat "$WORK/summary.out"
csv=$SWEEP/summary.csv
[[ -f $csv ]] || fail "no summary.csv"
rows=$(($(wc -l <"$csv") - 1))
((rows == 4)) || fail "summary.csv has $rows rows, expected 4"
done_rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "status") c = i; next }
                     c && $c == "done" { ++n } END { print n + 0 }' "$csv")
((done_rows == 4)) || fail "summary.csv: $done_rows of 4 rows have status done"

# ---- again: everything is done, nothing is submitted
"$RMM" sweep slurm --config exp/base.json --spec exp/spec.json --out "$SWEEP" --submit >"$WORK/again.out" 2>&1 ||
    fail "rmm sweep slurm (again) exited $?"
cat "$WORK/again.out"
grep -q '^nothing to submit' "$WORK/again.out" || fail "submitting a finished sweep again did not say 'nothing to submit'"
[[ $(wc -l <"$SWEEP/slurm_jobs.txt") == 1 ]] || fail "a second job was recorded for a finished sweep"

say "passed: 4 runs trained by SLURM job $JOB (2 at a time), status and summary agree"
exit 0
