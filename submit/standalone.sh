#!/usr/bin/env bash
# Submits vi4dvar to a Spark standalone cluster with $SPARK_HOME/bin/spark-submit:
#
#   submit/standalone.sh spark://HOST:PORT [SPARK-SUBMIT OPTION...] -- COMMAND [OPTION...]
#
#   export SPARK_HOME=/opt/spark-4.2.0-bin-hadoop3
#   submit/standalone.sh spark://node1:7077 -- run --out /shared/vi4dvar/talk
#   submit/standalone.sh spark://node1:7077 --executor-memory 2g --total-executor-cores 16 \
#       -- run --out /shared/vi4dvar/abc1e9 --methods abc --set abc.trials=1e9 --set abc.keep=1e-6
#
# COMMAND and its options are vi4dvar's (run, twin, --help; see submit/local.sh run --help). Options before `--`
# go to spark-submit as they are. Default deploy mode: client, the driver runs here and writes --out here.
# With --deploy-mode cluster the driver runs on a worker: the jar path (or VI4DVAR_JAR) and --out must then
# exist on that worker (a shared file system), and spark-submit exits 0 whatever the driver's final state (Spark's
# legacy submission client): check --out or the master's web UI. In threshold mode (abc.threshold) the executors write
# --out's Parquet table abc/accepted/ themselves: --out must be a Hadoop URI they can write (hdfs://, s3a://) or on
# a file system every node mounts at the same path.
# conf/spark-defaults.conf is applied on top of the cluster's own spark-defaults.conf.
#
# Environment: SPARK_HOME (required), VI4DVAR_JAR (optional; see submit/common.sh).
# Exit codes: vi4dvar's (0 ok, 1 failed run, 2 bad input) or spark-submit's; 2 when SPARK_HOME is unusable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -ge 1 && "$1" == spark://* ]] || vi4dvar_die "the first argument must be the master URL spark://HOST:PORT \
(usage: $(basename "$0") spark://HOST:PORT [SPARK-SUBMIT OPTION...] -- run --out DIR [OPTION...])"
MASTER="$1"
shift
VI4DVAR_PROGRAM="$0 $MASTER --"
vi4dvar_require_spark_home
vi4dvar_split_args "$@"
EXTRA_OPTS=()
DRIVER_JAVA_OPTS=""
if [[ "$(vi4dvar_deploy_mode)" == cluster ]]; then
  # wait until the driver ends rather than returning once it is submitted (spark-submit exits 0 whatever the
  # driver's final state: check the output)
  EXTRA_OPTS+=(--conf spark.standalone.submit.waitAppCompletion=true)
  # a driver started by a worker gets none of Spark's Java 17 flags (Kryo would fail on java.nio.ByteBuffer), and
  # spark.driver.defaultJavaOptions is not honoured there: pass them as driver options
  DRIVER_JAVA_OPTS="$(vi4dvar_spark_jvm_flags)"
fi
vi4dvar_submit "$MASTER"
