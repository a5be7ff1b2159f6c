#!/usr/bin/env bash
# Starts a real Spark standalone cluster on this machine's loopback interface, submits one vi4dvar run to it with
# submit/standalone.sh, checks the result and stops the cluster:
#
#   submit/cluster-local.sh [--out DIR] [--workers N] [--deploy-mode client|cluster] [--timeout SECONDS]
#                           [--keep-logs] [-- RUN-OPTION...]
#
#   submit/cluster-local.sh                                    # the talk's experiment at reduced sizes
#   submit/cluster-local.sh --out /tmp/c -- --methods abc --set abc.trials=1e8
#
# The cluster: one Master and N Workers (default 2; 1 core and 1 GiB each, 2 cores and 2 GiB with
# --deploy-mode cluster, whose driver takes a worker's core) as separate JVMs, every listener on 127.0.0.1 (ports
# chosen by the system: nothing is assumed free). Its Spark installation is assembled from the Maven-resolved jars
# of the build in driver/target/spark-home (RELEASE, jars/ as symlinks into ~/.m2, bin/spark-class and
# bin/spark-submit running Spark's own launcher): no Spark download, nothing copied.
#
# RUN-OPTIONS go to `vi4dvar run --out DIR` (default: the talk's experiment at reduced sizes, all four methods).
# --out default: a new directory under ${TMPDIR:-/tmp}. Checks: spark-submit exits 0, DIR/summary.json names the
# spark:// master, executors ran on every worker (client mode), the daemons listen on 127.0.0.1 only.
# Only the PIDs this script started (Master, Workers, their executors, spark-submit) are stopped, at the end, on a
# failure and on Ctrl-C. Logs: a directory printed at the start, removed on success unless --keep-logs.
# Exit codes: 0 ok, 1 the run or a check failed, 2 bad arguments, 124 timeout (default 600 s), 130 interrupted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/submit/common.sh"
SELF=cluster-local

OUT=""
WORKERS=2
DEPLOY=client
TIMEOUT=600
KEEP_LOGS=0
RUN_OPTS=(--set abc.trials=20000 --set abc.block-size=2048 --set ensemble.members=12 --set vi.restarts=3
  --set vi.iterations=300 --set map.starts=4 --set posterior.samples=200 --set output.report=false)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) [[ $# -ge 2 ]] || vi4dvar_die "--out needs a directory"; OUT="$2"; shift 2 ;;
    --workers) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || vi4dvar_die "--workers needs a number 1..99"; WORKERS="$2"; shift 2 ;;
    --deploy-mode) [[ "${2:-}" =~ ^(client|cluster)$ ]] || vi4dvar_die "--deploy-mode is client or cluster"
      DEPLOY="$2"; shift 2 ;;
    --timeout) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || vi4dvar_die "--timeout needs seconds"; TIMEOUT="$2"; shift 2 ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    --) shift; RUN_OPTS=("$@"); break ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) vi4dvar_die "unknown option '$1' (options: --out DIR, --workers N, --deploy-mode M, --timeout S, --keep-logs, \
-- RUN-OPTION...)" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# The Spark installation: driver/target/spark-home, rebuilt when the build's classpath file is newer.
vi4dvar_app_jar >/dev/null # builds the jar (and the classpath file) if missing or stale
CP_FILE="$VI4DVAR_TARGET/spark-classpath.txt"
[[ -f "$CP_FILE" ]] || vi4dvar_die "$CP_FILE is missing (run mvn -B -DskipTests package)"
HOME_DIR="$VI4DVAR_TARGET/spark-home"
if [[ ! -f "$HOME_DIR/RELEASE" || "$CP_FILE" -nt "$HOME_DIR/RELEASE" ]]; then
  NEW="$HOME_DIR.new.$$" # assembled aside, then moved into place
  rm -rf "$NEW"
  mkdir -p "$NEW/jars" "$NEW/bin" "$NEW/conf"
  mapfile -t SPARK_JARS < <(tr ':' '\n' <"$CP_FILE")
  for j in "${SPARK_JARS[@]}"; do
    ln -sf "$j" "$NEW/jars/$(basename "$j")"
  done
  # bin/spark-class: Spark's launcher (org.apache.spark.launcher.Main) prints the java command of a Spark class
  # (classpath $SPARK_HOME/jars/*, Spark's JVM flags, SPARK_DAEMON_* or driver settings) as a NUL and a newline
  # followed by NUL-terminated arguments; run it, as the distribution's bin/spark-class does.
  cat >"$NEW/bin/spark-class" <<'EOF'
#!/usr/bin/env bash
# Written by vi4dvar's submit/cluster-local.sh: bin/spark-class of a Spark home assembled from Maven jars.
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_SCALA_VERSION=2.13
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mapfile -d '' CMD < <("$JAVA" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
RC="${CMD[${#CMD[@]}-1]}"
[[ "$RC" == 0 ]] || exit "$RC"
CMD=("${CMD[@]:1:${#CMD[@]}-2}")
CMD[0]="${CMD[0]#$'\n'}"
exec "${CMD[@]}"
EOF
  cat >"$NEW/bin/spark-submit" <<'EOF'
#!/usr/bin/env bash
# Written by vi4dvar's submit/cluster-local.sh: bin/spark-submit of a Spark home assembled from Maven jars.
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
EOF
  chmod +x "$NEW/bin/spark-class" "$NEW/bin/spark-submit"
  echo "Spark $(basename "$(dirname "$(grep -o '[^:]*spark-core_[^:]*' "$CP_FILE")")") assembled from Maven jars \
by vi4dvar submit/cluster-local.sh" >"$NEW/RELEASE"
  rm -rf "$HOME_DIR"
  mv "$NEW" "$HOME_DIR"
fi

export SPARK_HOME="$HOME_DIR"
export SPARK_CONF_DIR="$HOME_DIR/conf"
export SPARK_SCALA_VERSION=2.13
# every listener (RPC, block manager, web UIs) on the loopback interface, and 127.0.0.1 as every advertised host
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=127.0.0.1
export SPARK_DAEMON_MEMORY=512m
# no REST submission server on the master (it would take the fixed port 6066)
export SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false"
unset SPARK_MASTER_HOST SPARK_MASTER_PORT SPARK_WORKER_PORT SPARK_WORKER_DIR SPARK_WORKER_OPTS

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vi4dvar-cluster.XXXXXX")"
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"
[[ -n "$OUT" ]] || OUT="$RUN_DIR/out"
echo "$SELF: logs in $LOGS" >&2

# ---------------------------------------------------------------------------------------------------------------
# Processes: only these PIDs are ever signalled.
DAEMONS=()   # Master first, then the Workers
SUBMIT_PID=""
OK=0

children_of() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' || true; }

stop_pids() { # TERM, then KILL what is still there after 15 s
  local p alive
  [[ $# -gt 0 ]] || return 0
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive == 1 ]] || return 0
    sleep 0.5
  done
  for p in "$@"; do kill -KILL "$p" 2>/dev/null || true; done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n "$SUBMIT_PID" ]]; then
    stop_pids "$SUBMIT_PID"
  fi
  local execs=() w i
  for ((i = ${#DAEMONS[@]} - 1; i >= 1; i--)); do # the workers' children: executors (and drivers in cluster mode)
    for w in $(children_of "${DAEMONS[$i]}"); do execs+=("$w"); done
  done
  if [[ ${#DAEMONS[@]} -gt 0 ]]; then
    stop_pids "${DAEMONS[@]:1}" # workers first (they stop their executors), then the master
    stop_pids "${DAEMONS[0]}"
  fi
  [[ ${#execs[@]} -eq 0 ]] || stop_pids "${execs[@]}"
  echo "$SELF: cluster stopped (PIDs ${DAEMONS[*]:-none}${execs[*]:+; executors ${execs[*]}})" >&2
  if [[ $OK == 1 && $KEEP_LOGS == 0 ]]; then
    rm -rf "$LOGS" "$RUN_DIR"/work-*
    rmdir "$RUN_DIR" 2>/dev/null
  else
    echo "$SELF: logs kept in $LOGS" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "$SELF: interrupted" >&2; exit 130' INT
trap 'echo "$SELF: terminated" >&2; exit 143' TERM

fail() {
  echo "$SELF: error: $*" >&2
  exit 1
}

# waits up to $3 s until file $2 matches regex $1 (while PID $4 lives); prints the first match
await_log() {
  local re="$1" file="$2" secs="$3" pid="$4" m
  for _ in $(seq 1 $((secs * 5))); do
    m="$(grep -m1 -oE "$re" "$file" 2>/dev/null || true)"
    [[ -n "$m" ]] && { echo "$m"; return 0; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# Fails if a listening socket of PID $1 is not on 127.0.0.1 (or [::ffff:127.0.0.1]).
check_loopback() {
  local pid="$1" what="$2" bad
  command -v ss >/dev/null || return 0
  bad="$(ss -Hltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | grep -vE '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):' || true)"
  [[ -z "$bad" ]] || fail "$what (PID $pid) listens beyond the loopback interface: $bad"
}

# ---------------------------------------------------------------------------------------------------------------
# Master and workers.
T0=$SECONDS
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
  >"$LOGS/master.log" 2>&1 &
DAEMONS+=($!)
MASTER_URL="$(await_log 'spark://127\.0\.0\.1:[0-9]+' "$LOGS/master.log" 60 "${DAEMONS[0]}")" \
  || fail "the master did not start within 60 s (see $LOGS/master.log)"
echo "$SELF: master $MASTER_URL (PID ${DAEMONS[0]})" >&2

if [[ $DEPLOY == cluster ]]; then CORES=2 MEM=2g; else CORES=1 MEM=1g; fi
for i in $(seq 1 "$WORKERS"); do
  mkdir -p "$RUN_DIR/work-$i"
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores "$CORES" --memory "$MEM" --work-dir "$RUN_DIR/work-$i" "$MASTER_URL" >"$LOGS/worker-$i.log" 2>&1 &
  DAEMONS+=($!)
done
for i in $(seq 1 "$WORKERS"); do
  await_log 'Successfully registered with master' "$LOGS/worker-$i.log" 60 "${DAEMONS[$i]}" >/dev/null \
    || fail "worker $i did not register within 60 s (see $LOGS/worker-$i.log)"
done
check_loopback "${DAEMONS[0]}" master
for i in $(seq 1 "$WORKERS"); do check_loopback "${DAEMONS[$i]}" "worker $i"; done
echo "$SELF: $WORKERS workers registered (PIDs ${DAEMONS[*]:1}) in $((SECONDS - T0)) s; submitting" >&2

# ---------------------------------------------------------------------------------------------------------------
# The run.
SUBMIT=(--deploy-mode "$DEPLOY" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  --conf spark.ui.enabled=false)
T1=$SECONDS
timeout "$TIMEOUT" "$ROOT/submit/standalone.sh" "$MASTER_URL" "${SUBMIT[@]}" -- run --out "$OUT" "${RUN_OPTS[@]}" &
SUBMIT_PID=$!
set +e
wait "$SUBMIT_PID"
RC=$?
set -e
SUBMIT_PID=""
[[ $RC != 124 ]] || { echo "$SELF: error: the run did not finish within $TIMEOUT s" >&2; exit 124; }
[[ $RC == 0 ]] || fail "spark-submit exited with $RC (logs in $LOGS and $RUN_DIR/work-*)"
[[ -f "$OUT/summary.json" ]] || fail "$OUT/summary.json was not written"
grep -qE "\"master\" *: *\"spark://127\.0\.0\.1:" "$OUT/summary.json" \
  || fail "$OUT/summary.json does not name the standalone master"
if [[ $DEPLOY == client ]]; then
  for i in $(seq 1 "$WORKERS"); do
    compgen -G "$RUN_DIR/work-$i/app-*/*/stderr" >/dev/null || fail "no executor ran on worker $i"
  done
fi
OK=1
echo "$SELF: ok: $OUT written by a run on $MASTER_URL ($WORKERS workers, $DEPLOY deploy mode) in \
$((SECONDS - T1)) s" >&2
