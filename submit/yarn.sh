#!/usr/bin/env bash
# Submits vi4dvar to a Hadoop YARN cluster with $SPARK_HOME/bin/spark-submit (client deploy mode):
#
#   submit/yarn.sh [SPARK-SUBMIT OPTION...] -- COMMAND [OPTION...]
#
#   export SPARK_HOME=/opt/spark-4.2.0-bin-hadoop3 HADOOP_CONF_DIR=/etc/hadoop/conf
#   submit/yarn.sh -- run --out /shared/vi4dvar/talk
#   submit/yarn.sh --queue science --num-executors 16 --executor-cores 4 --executor-memory 4g \
#       -- run --out /shared/vi4dvar/abc1e9 --methods abc --set abc.trials=1e9 --set abc.keep=1e-6
#
# COMMAND and its options are vi4dvar's (run, twin, --help; see submit/local.sh run --help). Options before `--`
# go to spark-submit as they are. The driver runs here (client mode) and writes --out here; in threshold mode
# (abc.threshold) the executors write --out's abc/accepted/part-*.csv themselves, so --out must then be on a file
# system every node mounts at the same path (vi4dvar writes plain files, not HDFS). Cluster deploy mode is refused:
# there the driver runs inside YARN's ApplicationMaster, which takes vi4dvar's exit (System.exit, even with 0) for
# an early exit, marks the application FAILED and attempts it again; and --out would be on whichever node ran it.
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
[[ "$(vi4dvar_deploy_mode)" == client ]] || vi4dvar_die "--deploy-mode $(vi4dvar_deploy_mode) is not supported on \
YARN (the ApplicationMaster takes vi4dvar's System.exit for a failure and re-runs it; see the header of $0)"
EXTRA_OPTS=()
vi4dvar_submit yarn
