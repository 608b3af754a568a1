#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A real single-node SLURM cluster on this machine, for testing `rmm sweep slurm` (issue 19).
#
#   slurm_cluster.sh start    start munged, slurmctld and slurmd; wait until the node is idle
#   slurm_cluster.sh status   say which daemons run; sinfo and squeue
#   slurm_cluster.sh stop     cancel its jobs, stop the daemons, remove its folder
#
# Everything lives in one private folder, $RMM_SLURM_DIR (default /tmp/rmm-slurm-cluster): its
# own munge key and socket, slurm.conf, state, spool and logs. The system's /etc/slurm and
# /etc/munge are neither read nor changed; clients find the cluster through
#   export SLURM_CONF=$RMM_SLURM_DIR/etc/slurm.conf     (also written to $RMM_SLURM_DIR/env.sh)
# No cgroups (proctrack/linuxproc, task/none), no accounting; CR_CPU so that several array tasks
# share the node. Ports: $RMM_SLURM_CTLD_PORT (16817) and $RMM_SLURM_SLURMD_PORT (16818), not the
# standard ones, so a real cluster's daemons on the same machine are not disturbed.
#
# Needs root and Debian's `slurm-wlm` and `munge` (apt-get install -y slurm-wlm munge). When the
# daemons cannot be started (not installed, not root, a daemon fails or the node never becomes
# idle), `start` exits 77 after one line "SKIP: ..." saying why, followed by the tail of the
# failing daemon's log, all on stderr.
set -uo pipefail

DIR=${RMM_SLURM_DIR:-/tmp/rmm-slurm-cluster}
CTLD_PORT=${RMM_SLURM_CTLD_PORT:-16817}
SLURMD_PORT=${RMM_SLURM_SLURMD_PORT:-16818}
TIMEOUT=${RMM_SLURM_TIMEOUT:-60}
CONF=$DIR/etc/slurm.conf
MUNGE_SOCKET=$DIR/munge/munge.socket

say() { echo "slurm_cluster: $*" >&2; }

# skip WHY [LOGFILE...]: the reason, the logs' tails, exit 77 (after stopping what was started).
skip() {
    local why=$1
    shift
    echo "SKIP: cannot start a single-node SLURM cluster: $why" >&2
    local f
    for f in "$@"; do
        if [[ -s $f ]]; then
            echo "---- last lines of $f:" >&2
            tail -n 25 "$f" >&2
        fi
    done
    stop_daemons >/dev/null 2>&1
    exit 77
}

# pid_of NAME PIDFILE: the pid in PIDFILE when that process is alive and is NAME.
pid_of() {
    local name=$1 file=$2 pid
    [[ -r $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    [[ -n $pid && -r /proc/$pid/comm ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name"* ]] || return 1
    echo "$pid"
}

# stop_pid NAME PIDFILE: TERM, wait up to 10 s, then KILL.
stop_pid() {
    local pid i
    pid=$(pid_of "$1" "$2") || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; ++i)); do
        [[ -d /proc/$pid ]] || return 0
        sleep 0.1
    done
    say "$1 (pid $pid) did not stop within 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null
}

stop_daemons() {
    if pid_of slurmctld "$DIR/slurmctld.pid" >/dev/null; then
        # Cancel this cluster's jobs so that their processes end with them.
        local jobs
        jobs=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
        if [[ -n $jobs ]]; then
            # shellcheck disable=SC2086
            SLURM_CONF=$CONF timeout 10 scancel $jobs 2>/dev/null
            sleep 1
        fi
    fi
    stop_pid slurmd "$DIR/slurmd.pid"
    stop_pid slurmctld "$DIR/slurmctld.pid"
    # Job steps of this cluster that outlived slurmd (their environment names our slurm.conf).
    local p
    for p in /proc/[0-9]*; do
        [[ $(cat "$p/comm" 2>/dev/null) == slurmstepd ]] || continue
        if tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$CONF"; then
            kill -KILL "${p#/proc/}" 2>/dev/null
        fi
    done
    stop_pid munged "$DIR/munge/munged.pid"
}

write_conf() {
    local host=$1 cpus mem
    cpus=$(nproc)
    mem=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
    cat >"$CONF" <<EOF
# Written by tests/slurm/slurm_cluster.sh: a single-node test cluster, no cgroups, no accounting.
ClusterName=rmmtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

cmd_start() {
    [[ $(id -u) == 0 ]] || skip "it needs root (slurmd starts jobs as their user; this is uid $(id -u))"
    local c missing=()
    for c in munged slurmctld slurmd sinfo squeue sbatch scancel scontrol munge unmunge; do
        command -v "$c" >/dev/null 2>&1 || missing+=("$c")
    done
    ((${#missing[@]} == 0)) ||
        skip "not installed: ${missing[*]} (Debian: apt-get install -y slurm-wlm munge)"

    if pid_of slurmctld "$DIR/slurmctld.pid" >/dev/null || pid_of munged "$DIR/munge/munged.pid" >/dev/null; then
        say "a cluster from $DIR is running; stopping it first"
        stop_daemons
    fi
    rm -rf "$DIR"
    # munged wants its socket's folder (and every parent) searchable by all, its key private.
    mkdir -p "$DIR"/{etc,state,spool,log,munge} || skip "cannot create $DIR"
    chmod 755 "$DIR" "$DIR/munge"

    local host
    host=$(hostname -s 2>/dev/null)
    [[ -n $host ]] || host=localhost
    write_conf "$host" || skip "cannot write $CONF"
    echo "export SLURM_CONF='$CONF'" >"$DIR/env.sh"

    # munge: a private key, socket and daemon.
    local key=$DIR/munge/munge.key
    if [[ ! -s $key ]]; then
        (umask 077 && dd if=/dev/urandom of="$key" bs=128 count=1 status=none) || skip "cannot create the munge key $key"
    fi
    chmod 600 "$key"
    munged --key-file="$key" --socket="$MUNGE_SOCKET" --pid-file="$DIR/munge/munged.pid" \
        --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed" \
        >"$DIR/munge/munged.out" 2>&1 ||
        skip "munged did not start" "$DIR/munge/munged.out" "$DIR/munge/munged.log"
    munge -S "$MUNGE_SOCKET" -n 2>"$DIR/munge/check.err" | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>>"$DIR/munge/check.err" ||
        skip "munged runs but a credential does not decode" "$DIR/munge/check.err" "$DIR/munge/munged.log"

    export SLURM_CONF=$CONF
    slurmctld -f "$CONF" >"$DIR/log/slurmctld.out" 2>&1 ||
        skip "slurmctld did not start" "$DIR/log/slurmctld.out" "$DIR/log/slurmctld.log"
    local i
    for ((i = 0; i < 2 * TIMEOUT; ++i)); do
        timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' && break
        if ((i >= 4)) && ! pid_of slurmctld "$DIR/slurmctld.pid" >/dev/null; then
            skip "slurmctld exited" "$DIR/log/slurmctld.out" "$DIR/log/slurmctld.log"
        fi
        sleep 0.5
    done
    timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' ||
        skip "slurmctld does not answer (scontrol ping) after $TIMEOUT s" "$DIR/log/slurmctld.log"

    slurmd -N "$host" -f "$CONF" >"$DIR/log/slurmd.out" 2>&1 ||
        skip "slurmd did not start" "$DIR/log/slurmd.out" "$DIR/log/slurmd.log"
    local state=""
    for ((i = 0; i < 2 * TIMEOUT; ++i)); do
        state=$(timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null | head -n 1)
        [[ $state == idle ]] && break
        if ((i >= 4)) && ! pid_of slurmd "$DIR/slurmd.pid" >/dev/null; then
            skip "slurmd exited" "$DIR/log/slurmd.out" "$DIR/log/slurmd.log"
        fi
        sleep 0.5
    done
    if [[ $state != idle ]]; then
        sinfo -R >"$DIR/log/sinfo-R.txt" 2>&1
        skip "node $host is '${state:-unknown}', not idle, after $TIMEOUT s" "$DIR/log/sinfo-R.txt" \
            "$DIR/log/slurmd.log" "$DIR/log/slurmctld.log"
    fi
    say "node $host idle ($(nproc) CPUs, partition debug); slurm $(sinfo -V 2>/dev/null | awk '{print $2}')"
    echo "SLURM_CONF=$CONF"
}

cmd_status() {
    local ok=0 name file pid
    for name in munged slurmctld slurmd; do
        case $name in
        munged) file=$DIR/munge/munged.pid ;;
        *) file=$DIR/$name.pid ;;
        esac
        if pid=$(pid_of "$name" "$file"); then
            echo "$name: running (pid $pid)"
        else
            echo "$name: not running"
            ok=1
        fi
    done
    if ((ok == 0)); then
        echo "SLURM_CONF=$CONF"
        SLURM_CONF=$CONF timeout 10 sinfo
        SLURM_CONF=$CONF timeout 10 squeue
    fi
    return $ok
}

cmd_stop() {
    if [[ ! -d $DIR ]]; then
        say "no cluster folder $DIR; nothing to stop"
        return 0
    fi
    stop_daemons
    if [[ ${RMM_SLURM_KEEP:-0} == 1 ]]; then
        say "stopped; kept $DIR (RMM_SLURM_KEEP=1)"
    else
        rm -rf "$DIR"
        say "stopped; removed $DIR"
    fi
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    echo "usage: $0 start|status|stop   (folder: \$RMM_SLURM_DIR, default /tmp/rmm-slurm-cluster)" >&2
    exit 2
    ;;
esac
