#!/usr/bin/env bash
# Runs vi4dvar on embedded Spark in one JVM (local[*] unless --master says otherwise):
#
#   submit/local.sh run  --out DIR [--config FILE] [--data DIR] [--methods map,abc,ensemble,vi] [--set k=v]...
#   submit/local.sh twin --out DIR [--config FILE] [--set k=v]...
#   submit/local.sh report DIR [--coordinates 0,8,15]
#   submit/local.sh COMMAND --help
#   submit/local.sh [--conf KEY=VALUE]... [--driver-memory SIZE] COMMAND ...
#
# Spark's own launcher options, as spark-submit takes them (anywhere on the line; the rest goes to vi4dvar):
#   --conf KEY=VALUE      a Spark property (repeatable), e.g. --conf spark.ui.enabled=true (the web UI, off by
#                         default in local runs) or --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=DIR;
#                         it reaches SparkConf as a -D system property and wins over conf/spark-defaults.conf
#   --driver-memory SIZE  the JVM's heap (-Xmx SIZE, and spark.driver.memory), e.g. 4g or 512m
# A --conf that is not KEY=VALUE with a spark.* key, or a SIZE that is not a number with k, m, g or t, is one line
# on stderr and exit 2, before anything is built or started.
#
# No logic beyond launching: builds the project when the jar is missing or older than a source or pom
# (mvn -B -q -DskipTests package, which also writes Spark's classpath and JVM flags into driver/target), then
# runs `java <Spark's JVM flags> -cp <app jar>:<Spark's jars> org.vi4dvar.driver.LocalMain "$@"` (LocalMain exits
# with vi4dvar's exit code; org.vi4dvar.driver.App, the spark-submit main class, never calls System.exit).
#
# Start-up: a JVM class-data-sharing archive (AppCDS) of the Spark classes, made once per build by a small
# training run, cuts the JVM + SparkContext start by a few seconds. VI4DVAR_CDS=0 disables it.
# Extra JVM options: VI4DVAR_JAVA_OPTS (e.g. -Xmx8g; --driver-memory wins over an -Xmx there).
# VI4DVAR_SKIP_BUILD=1 runs the jar in driver/target as it is (tests, CI): no build, no staleness check.
set -euo pipefail

die() {
  echo "local.sh: error: $*" >&2
  exit 2
}

# Spark's launcher options (--conf, --driver-memory), wherever they are; everything else goes to vi4dvar. The
# value after --set is vi4dvar's, whatever it looks like.
SPARK_PROPS=()
HEAP=()
APP_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --set)
      APP_ARGS+=("$1")
      [[ $# -lt 2 ]] || { APP_ARGS+=("$2"); shift; }
      shift ;;
    --conf | --conf=*)
      if [[ "$1" == --conf=* ]]; then KV="${1#--conf=}"; shift; else
        [[ $# -ge 2 ]] || die "--conf needs KEY=VALUE (a Spark property, e.g. --conf spark.ui.enabled=true)"
        KV="$2"; shift 2
      fi
      [[ "$KV" == *=* ]] || die "--conf '$KV' is not KEY=VALUE (e.g. --conf spark.ui.enabled=true)"
      [[ "${KV%%=*}" =~ ^spark\.[A-Za-z0-9._-]+$ ]] || die "--conf '$KV': '${KV%%=*}' is not a Spark property \
(spark.*)"
      SPARK_PROPS+=("-D$KV") ;;
    --driver-memory | --driver-memory=*)
      if [[ "$1" == --driver-memory=* ]]; then MEM="${1#--driver-memory=}"; shift; else
        [[ $# -ge 2 ]] || die "--driver-memory needs a size (e.g. --driver-memory 4g)"
        MEM="$2"; shift 2
      fi
      [[ "$MEM" =~ ^[1-9][0-9]*[kKmMgGtT]?[bB]?$ ]] || die "--driver-memory '$MEM' is not a size (e.g. 4g, 512m)"
      MEM="${MEM%[bB]}"
      HEAP=("-Xmx$MEM" "-Dspark.driver.memory=$MEM") ;;
    *) APP_ARGS+=("$1"); shift ;;
  esac
done
set -- ${APP_ARGS[@]+"${APP_ARGS[@]}"}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/driver/target"
CP_FILE="$TARGET/spark-classpath.txt"
FLAGS_FILE="$TARGET/jvm-flags.txt"
JSA="$TARGET/vi4dvar-cds.jsa"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

app_jar() {
  local j
  for j in "$TARGET"/vi4dvar-driver-*.jar; do
    case "$j" in *-tests.jar | */original-*) ;; *) [[ -f "$j" ]] && { echo "$j"; return; } ;; esac
  done
}

needs_build() {
  local jar
  jar="$(app_jar)"
  [[ -n "$jar" && -f "$CP_FILE" && -f "$FLAGS_FILE" ]] || return 0
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT/kernels/pom.xml" "$ROOT/driver/pom.xml" "$ROOT/kernels/src/main" \
      "$ROOT/driver/src/main" "$ROOT/driver/src/launcher" -newer "$jar" -print -quit)" ]]
}

if [[ "${VI4DVAR_SKIP_BUILD:-0}" != 1 ]] && needs_build; then
  echo "vi4dvar: building the project (mvn -B -q -DskipTests package) ..." >&2
  # (Maven 3.8 prints colour resets even in batch mode: strip them)
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
fi
JAR="$(app_jar)"
CP="$JAR:$(<"$CP_FILE")"
# Spark's own JVM flags (the root pom's spark.jvm.flags) without --add-modules=jdk.incubator.vector: that module
# makes every JVM start print a warning on stderr, and vi4dvar does not use the Vector API.
read -r -a FLAGS <<<"$(sed 's/--add-modules=jdk.incubator.vector//' "$FLAGS_FILE")"
# vi4dvar.program: how vi4dvar's messages and --help name the command (this script, as it was invoked)
PROPS=(-Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties"
  -Dvi4dvar.spark-defaults="$ROOT/conf/spark-defaults.conf" -Dvi4dvar.program="$0")
read -r -a EXTRA <<<"${VI4DVAR_JAVA_OPTS:-}"
export SPARK_LOCAL_IP=127.0.0.1

CDS=()
if [[ "${VI4DVAR_CDS:-1}" != 0 ]]; then
  if [[ ! -f "$JSA" || "$JAR" -nt "$JSA" || "$CP_FILE" -nt "$JSA" ]]; then
    echo "vi4dvar: preparing the class-data archive for a fast start (once per build) ..." >&2
    TRAIN="$(mktemp -d)"
    if "$JAVA" -XX:ArchiveClassesAtExit="$JSA.$$" "${FLAGS[@]}" "${PROPS[@]}" -cp "$CP" org.vi4dvar.driver.LocalMain \
        run --out "$TRAIN/out" --set abc.trials=2000 --set ensemble.members=4 --set vi.iterations=50 --set vi.window=25 \
        --set vi.restarts=2 --set posterior.samples=50 >/dev/null 2>&1 && [[ -f "$JSA.$$" ]]; then
      mv -f "$JSA.$$" "$JSA"
    else
      rm -f "$JSA.$$"
      echo "vi4dvar: (no class-data archive: the training run failed; starting without it)" >&2
    fi
    rm -rf "$TRAIN"
  fi
  if [[ -f "$JSA" ]]; then
    CDS=(-XX:SharedArchiveFile="$JSA" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
fi

exec "$JAVA" ${CDS[@]+"${CDS[@]}"} "${FLAGS[@]}" "${PROPS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} ${HEAP[@]+"${HEAP[@]}"} \
  ${SPARK_PROPS[@]+"${SPARK_PROPS[@]}"} -cp "$CP" org.vi4dvar.driver.LocalMain "$@"
