#!/usr/bin/env bash
# A throw-away Slurm cluster on this one machine, for the `gpuenv fleet --slurm` tests (issue 12):
# its own munged, a slurmctld and three slurmd (`slurmd -N n1|n2|n3`), everything under DIR, every
# daemon on 127.0.0.1 with ports picked free at start. Nothing under /etc or /run is touched: the
# clients find the cluster through SLURM_CONF=DIR/slurm.conf.
#
#   scripts/slurm-cluster.sh start DIR        start the cluster in DIR (one left there is stopped first)
#   scripts/slurm-cluster.sh stop DIR         stop the daemons whose pid files are under DIR, remove DIR
#   scripts/slurm-cluster.sh kill-node DIR N  stop slurmd N (a node that went away)
#   scripts/slurm-cluster.sh start-node DIR N start slurmd N again and wait until it is back in service
#   scripts/slurm-cluster.sh env DIR          print the variables a client needs (SLURM_CONF=...)
#
# Needs Debian's slurm-wlm and munge (scripts/setup-deps.sh --extra). Runs as root (CI) or as the
# user who owns DIR (SlurmUser is that user). Only the processes started here are ever signalled, by
# the pids in their pid files.
set -euo pipefail

NODES=(n1 n2 n3)
die() {
  echo "slurm-cluster: $*" >&2
  exit 1
}

port_in_use() {  # /proc/net/tcp{,6} hold listening ports in hex (state 0A)
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$hex" '$4 == "0A" && index($2, p) == length($2) - 4' |
    grep -q .
}

pick_ports() {  # a run of 4 free ports: slurmctld, then one per slurmd
  local tries base ok i
  for tries in $(seq 1 50); do
    base=$((20000 + (RANDOM % 20000)))
    ok=1
    for i in 0 1 2 3; do
      if port_in_use $((base + i)); then
        ok=0
        break
      fi
    done
    if [[ $ok == 1 ]]; then
      echo "$base"
      return
    fi
  done
  die "no 4 free ports found"
}

pid_of() {  # the pid in a pid file, if that process still runs
  local f=$1 pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_pidfiles() {  # TERM to every live process named by the pid files, then KILL what is left after 10 s
  local f pid i pids=()
  for f in "$@"; do
    pid=$(pid_of "$f") || continue
    kill "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  for i in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

node_state() {  # the state slurmctld reports for node $2 (e.g. "idle", "idle*", "down*")
  SLURM_CONF="$1/slurm.conf" sinfo --noheader --Node --nodes="$2" --format='%T' 2>/dev/null | head -n1
}

wait_idle() {  # waits until every node named is idle (at most ~60 s)
  local dir=$1 i n st all
  shift
  for i in $(seq 1 300); do
    all=1
    for n in "$@"; do
      st=$(node_state "$dir" "$n")
      [[ $st == idle ]] || all=0
    done
    [[ $all == 1 ]] && return 0
    sleep 0.2
  done
  for n in "$@"; do echo "  $n: $(node_state "$dir" "$n")" >&2; done
  return 1
}

start_slurmd() {
  local dir=$1 n=$2
  mkdir -p "$dir/spool/$n"
  SLURM_CONF="$dir/slurm.conf" /usr/sbin/slurmd -N "$n" -f "$dir/slurm.conf" ||
    die "slurmd -N $n did not start; see $dir/log/slurmd-$n.log"
}

start() {
  local dir=$1
  for p in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/srun /usr/bin/sinfo; do
    [[ -x $p ]] || die "$p is missing: install slurm-wlm and munge (scripts/setup-deps.sh --extra)"
  done
  stop "$dir"  # a cluster left behind by an interrupted run
  [[ -e $dir/slurm.conf ]] && die "$dir holds a slurm.conf that is not ours"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 0700 "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 0700 "$dir/munge"
  local user
  user=$(id -un)

  # munge: our own key, socket and daemon (the system's munged, if any, is left alone).
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$dir/munge/munge.key"
  /usr/sbin/munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" ||
    die "munged did not start; see $dir/log/munged.log"

  local base
  base=$(pick_ports)
  cat >"$dir/slurm.conf" <<EOF
# Written by gpuenv scripts/slurm-cluster.sh for tests: one machine, three slurmd, loopback only.
ClusterName=gpuenvtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=10
SlurmctldTimeout=30
MessageTimeout=5
InactiveLimit=0
KillWait=2
NodeName=n[1-3] NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((base + 1))-$((base + 3)) CPUs=1 RealMemory=256 State=UNKNOWN
PartitionName=debug Nodes=n[1-3] Default=YES MaxTime=INFINITE State=UP
EOF
  SLURM_CONF="$dir/slurm.conf" /usr/sbin/slurmctld -f "$dir/slurm.conf" -i ||
    die "slurmctld did not start; see $dir/log/slurmctld.log"
  local n
  for n in "${NODES[@]}"; do start_slurmd "$dir" "$n"; done
  if ! wait_idle "$dir" "${NODES[@]}"; then
    die "the nodes did not come up idle; logs under $dir/log"
  fi
  echo "slurm-cluster: up in $dir (SLURM_CONF=$dir/slurm.conf)" >&2
}

stop() {
  local dir=$1 n files=()
  [[ -d $dir ]] || return 0
  for n in "${NODES[@]}"; do files+=("$dir/slurmd-$n.pid"); done
  stop_pidfiles "${files[@]}" "$dir/slurmctld.pid"
  stop_pidfiles "$dir/munge/munged.pid"  # last: the daemons above talk to it while stopping
  # Only remove what this script made: a directory holding our slurm.conf.
  if [[ -f $dir/slurm.conf ]] && grep -q 'gpuenv scripts/slurm-cluster.sh' "$dir/slurm.conf"; then
    rm -rf "$dir"
  fi
}

kill_node() {
  local dir=$1 n=$2
  stop_pidfiles "$dir/slurmd-$n.pid"
}

start_node() {
  local dir=$1 n=$2
  pid_of "$dir/slurmd-$n.pid" >/dev/null || start_slurmd "$dir" "$n"
  # A node marked down while its slurmd was away returns by itself (ReturnToService=2) once it
  # registers; `scontrol update` makes that immediate.
  SLURM_CONF="$dir/slurm.conf" scontrol update NodeName="$n" State=RESUME >/dev/null 2>&1 || true
  wait_idle "$dir" "$n" || die "node $n did not come back; see $dir/log/slurmd-$n.log"
}

cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || {
  sed -n '2,14p' "$0" >&2
  exit 2
}
case "$cmd" in
  start) start "$dir" ;;
  stop) stop "$dir" ;;
  kill-node) kill_node "$dir" "${3:?node name}" ;;
  start-node) start_node "$dir" "${3:?node name}" ;;
  env) echo "SLURM_CONF=$(cd "$dir" && pwd)/slurm.conf" ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac
