# Shared by submit/standalone.sh, submit/yarn.sh and submit/k8s.sh (sourced, not run): checks SPARK_HOME, finds
# (or builds) the application jar and execs $SPARK_HOME/bin/spark-submit with what every vi4dvar submission needs.
#
# Arguments of a wrapper: [SPARK-SUBMIT OPTION...] -- COMMAND [OPTION...]. Everything before `--` goes to
# spark-submit unchanged (and after the wrapper's own options, so it wins); everything after `--` goes to vi4dvar
# (`run --out DIR ...`, `twin ...`, `--help`). Without `--`, every argument goes to vi4dvar.
#
# Environment: SPARK_HOME (required: a Spark 4 installation, Scala 2.13); VI4DVAR_JAR (optional: the
# application jar or its URI, e.g. local:///opt/vi4dvar/vi4dvar-driver.jar inside a container image; default: the
# jar built in driver/target, built with Maven if missing or older than the sources).

VI4DVAR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VI4DVAR_TARGET="$VI4DVAR_ROOT/driver/target"
VI4DVAR_MAIN=org.vi4dvar.driver.App

# One line on stderr and exit 2 (bad input), like vi4dvar itself.
vi4dvar_die() {
  echo "$(basename "$0"): error: $*" >&2
  exit 2
}

# Spark's JVM flags for Java 17+ (--add-opens ...; the root pom's spark.jvm.flags, written by mvn package).
vi4dvar_spark_jvm_flags() {
  [[ -f "$VI4DVAR_TARGET/jvm-flags.txt" ]] || vi4dvar_die "$VI4DVAR_TARGET/jvm-flags.txt is missing (Spark's JVM \
flags, written by mvn -B -DskipTests package)"
  cat "$VI4DVAR_TARGET/jvm-flags.txt"
}

# Fails unless SPARK_HOME names a Spark installation with bin/spark-submit.
vi4dvar_require_spark_home() {
  [[ -n "${SPARK_HOME:-}" ]] || vi4dvar_die "SPARK_HOME is not set (export SPARK_HOME=/path/to/spark-4.x, the \
installation whose bin/spark-submit submits the job)"
  [[ -x "$SPARK_HOME/bin/spark-submit" ]] || vi4dvar_die "SPARK_HOME=$SPARK_HOME is not a Spark installation \
(no executable bin/spark-submit there)"
}

# The shaded application jar in driver/target (empty if none).
vi4dvar_built_jar() {
  local j
  for j in "$VI4DVAR_TARGET"/vi4dvar-driver-*.jar; do
    case "$j" in *-tests.jar | */original-*) ;; *) [[ -f "$j" ]] && { echo "$j"; return; } ;; esac
  done
}

# The jar to submit: VI4DVAR_JAR, else driver/target's, built first if missing or older than a source or pom.
vi4dvar_app_jar() {
  if [[ -n "${VI4DVAR_JAR:-}" ]]; then
    echo "$VI4DVAR_JAR"
    return
  fi
  local jar
  jar="$(vi4dvar_built_jar)"
  if [[ -z "$jar" || -n "$(find "$VI4DVAR_ROOT/pom.xml" "$VI4DVAR_ROOT/kernels/pom.xml" \
      "$VI4DVAR_ROOT/driver/pom.xml" "$VI4DVAR_ROOT/kernels/src/main" "$VI4DVAR_ROOT/driver/src/main" \
      -newer "$jar" -print -quit)" ]]; then
    echo "vi4dvar: building the application jar (mvn -B -q -DskipTests package) ..." >&2
    (cd "$VI4DVAR_ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
    jar="$(vi4dvar_built_jar)"
    [[ -n "$jar" ]] || vi4dvar_die "the build did not produce driver/target/vi4dvar-driver-*.jar"
  fi
  echo "$jar"
}

# Splits "$@" at the first `--` into SUBMIT_OPTS (before) and APP_ARGS (after); no `--`: all are APP_ARGS.
vi4dvar_split_args() {
  SUBMIT_OPTS=()
  APP_ARGS=()
  local a seen=0
  for a in "$@"; do
    if [[ $seen == 0 && "$a" == "--" ]]; then
      seen=1
    elif [[ $seen == 1 ]]; then
      APP_ARGS+=("$a")
    else
      SUBMIT_OPTS+=("$a")
    fi
  done
  if [[ $seen == 0 ]]; then
    APP_ARGS=("${SUBMIT_OPTS[@]}")
    SUBMIT_OPTS=()
  fi
  [[ ${#APP_ARGS[@]} -gt 0 ]] || vi4dvar_die "no vi4dvar command (usage: $(basename "$0") ... -- run --out DIR \
[OPTION...]; see the header of $0)"
}

# The deploy mode that SUBMIT_OPTS ask for (client unless --deploy-mode cluster).
vi4dvar_deploy_mode() {
  local i
  for ((i = 0; i < ${#SUBMIT_OPTS[@]}; i++)); do
    case "${SUBMIT_OPTS[$i]}" in
      --deploy-mode) echo "${SUBMIT_OPTS[$((i + 1))]:-client}"; return ;;
      --deploy-mode=*) echo "${SUBMIT_OPTS[$i]#--deploy-mode=}"; return ;;
    esac
  done
  echo client
}

# Execs spark-submit (VI4DVAR_PROGRAM: how messages name the command, default "$0 --"): master $1, then the wrapper's extra options ("${EXTRA_OPTS[@]}", may be empty) and driver
# Java options (DRIVER_JAVA_OPTS), then the user's SUBMIT_OPTS, the jar and APP_ARGS. conf/spark-defaults.conf is loaded on top of the installation's own
# $SPARK_CONF_DIR/spark-defaults.conf (--extra-properties-file). In client mode the driver logs with
# conf/log4j2.properties (Spark quiet, vi4dvar progress visible); the user's --driver-java-options come after.
# Spark's launcher adds the JVM flags Spark needs on Java 17 (--add-opens ...) to a client-mode driver, YARN to its
# application master, and SparkContext to the executors (a standalone cluster-mode driver gets none: see
# submit/standalone.sh).
vi4dvar_submit() {
  local master="$1"
  local jar
  jar="$(vi4dvar_app_jar)"
  local opts=(--master "$master" --class "$VI4DVAR_MAIN"
    --extra-properties-file "$VI4DVAR_ROOT/conf/spark-defaults.conf")
  # how vi4dvar's messages name the command ("see '... run --help'"): this wrapper, as it was invoked
  opts+=(--conf "spark.vi4dvar.program=${VI4DVAR_PROGRAM:-$0 --}")
  local java_opts="${DRIVER_JAVA_OPTS:-}"
  if [[ "$(vi4dvar_deploy_mode)" == client ]]; then
    java_opts+=" -Dlog4j2.configurationFile=file:$VI4DVAR_ROOT/conf/log4j2.properties"
  fi
  # the user's --driver-java-options are appended to these rather than replacing them
  local user=() i
  for ((i = 0; i < ${#SUBMIT_OPTS[@]}; i++)); do
    if [[ "${SUBMIT_OPTS[$i]}" == --driver-java-options && $((i + 1)) -lt ${#SUBMIT_OPTS[@]} ]]; then
      java_opts+=" ${SUBMIT_OPTS[$((i + 1))]}"
      i=$((i + 1))
    else
      user+=("${SUBMIT_OPTS[$i]}")
    fi
  done
  java_opts="${java_opts# }"
  [[ -z "$java_opts" ]] || opts+=(--driver-java-options "$java_opts")
  exec "$SPARK_HOME/bin/spark-submit" "${opts[@]}" ${EXTRA_OPTS[@]+"${EXTRA_OPTS[@]}"} ${user[@]+"${user[@]}"} \
    "$jar" "${APP_ARGS[@]}"
}
