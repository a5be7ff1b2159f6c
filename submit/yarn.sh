#!/usr/bin/env bash
# Submits vi4dvar to a Hadoop YARN cluster with $SPARK_HOME/bin/spark-submit (client or cluster deploy mode):
#
#   submit/yarn.sh [SPARK-SUBMIT OPTION...] -- COMMAND [OPTION...]
#
#   export SPARK_HOME=/opt/spark-4.2.0-bin-hadoop3 HADOOP_CONF_DIR=/etc/hadoop/conf
#   submit/yarn.sh -- run --out /shared/vi4dvar/talk
#   submit/yarn.sh --queue science --num-executors 16 --executor-cores 4 --executor-memory 4g \
#       -- run --out /shared/vi4dvar/abc1e9 --methods abc --set abc.trials=1e9 --set abc.keep=1e-6
#   submit/yarn.sh --deploy-mode cluster -- run --out /shared/vi4dvar/talk
#
# COMMAND and its options are vi4dvar's (run, twin, --help; see submit/local.sh run --help). Options before `--`
# go to spark-submit as they are. Client mode (the default): the driver runs here and writes --out here, and
# spark-submit exits with vi4dvar's exit code. Cluster mode: the driver runs inside YARN's ApplicationMaster on a
# cluster node, so --out (and --data, --config) must be paths on that node (a shared file system); vi4dvar's main
# class returns normally there (it never calls System.exit under spark-submit) and a failure finishes the
# application FAILED with vi4dvar's exit code; spark-submit itself then exits 1 (see the YARN logs:
# `yarn logs -applicationId ...`). Cluster mode gets spark.yarn.maxAppAttempts=1 (a failed run would fail again;
# a --conf spark.yarn.maxAppAttempts=N of yours comes later and wins). In threshold mode (abc.threshold) the executors write --out's
# Parquet table abc/accepted/ themselves, through Hadoop's FileSystem: --out is then best an hdfs:// URI (a local
# path must be on a file system every node mounts at the same path).
# conf/spark-defaults.conf is applied on top of the cluster's own spark-defaults.conf.
#
# Environment: SPARK_HOME (required), HADOOP_CONF_DIR or YARN_CONF_DIR (required by Spark for YARN), VI4DVAR_JAR
# (optional; see submit/common.sh).
# Exit codes: vi4dvar's (0 ok, 1 failed run, 2 bad input) or spark-submit's; 2 when the environment is unusable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

vi4dvar_require_spark_home
[[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] || vi4dvar_die "neither HADOOP_CONF_DIR nor YARN_CONF_DIR is set \
(the directory of the cluster's yarn-site.xml and core-site.xml)"
vi4dvar_split_args "$@"
[[ "$(vi4dvar_deploy_mode)" =~ ^(client|cluster)$ ]] || vi4dvar_die "--deploy-mode is client or cluster, got \
'$(vi4dvar_deploy_mode)'"
EXTRA_OPTS=()
if [[ "$(vi4dvar_deploy_mode)" == cluster ]]; then
  # one attempt: a failed vi4dvar run fails the same way again (bad input, a diverged method), and YARN would
  # otherwise rerun the whole driver; --conf spark.yarn.maxAppAttempts=2 (after --) restores retries after a lost node
  EXTRA_OPTS+=(--conf spark.yarn.maxAppAttempts=1)
fi
vi4dvar_submit yarn
