#!/usr/bin/env bash
# Submits vi4dvar to a Kubernetes cluster with $SPARK_HOME/bin/spark-submit:
#
#   submit/k8s.sh k8s://https://API-SERVER:PORT [SPARK-SUBMIT OPTION...] -- COMMAND [OPTION...]
#
#   export SPARK_HOME=/opt/spark-4.2.0-bin-hadoop3 VI4DVAR_IMAGE=registry.example.org/vi4dvar:0.1.0
#   # cluster mode: driver and executors in pods; the jar is inside the image, --out on a shared volume
#   VI4DVAR_JAR=local:///opt/vi4dvar/vi4dvar-driver.jar submit/k8s.sh k8s://https://10.0.0.1:6443 \
#       --deploy-mode cluster --conf spark.executor.instances=8 \
#       --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.out.options.claimName=vi4dvar-out \
#       --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.out.mount.path=/out \
#       --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.out.options.claimName=vi4dvar-out \
#       --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.out.mount.path=/out \
#       -- run --out /out/talk
#
# COMMAND and its options are vi4dvar's (run, twin, --help; see submit/local.sh run --help). Options before `--`
# go to spark-submit as they are. The image (VI4DVAR_IMAGE, or --conf spark.kubernetes.container.image=...) must
# hold Spark 4 (Scala 2.13, Java 17+); in cluster mode it must also hold the application jar (VI4DVAR_JAR=local://
# path inside the image). Client mode (the default) runs the driver here: executor pods must reach this machine
# (spark.driver.host), and the driver writes --out here. The output directory must be writable by the driver and,
# in threshold mode (abc.threshold, whose executors write the Parquet table abc/accepted/), by every executor at
# the same path: a volume mounted in every pod (as above), unless --out is an s3a:// or hdfs:// URI. conf/spark-defaults.conf is applied on top of the image's own.
#
# Environment: SPARK_HOME (required), VI4DVAR_IMAGE (the container image, unless given with --conf), VI4DVAR_JAR
# (optional; see submit/common.sh).
# Exit codes: vi4dvar's (0 ok, 1 failed run, 2 bad input) or spark-submit's; 2 when the environment is unusable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -ge 1 && "$1" == k8s://* ]] || vi4dvar_die "the first argument must be the master URL k8s://https://HOST:PORT \
(usage: $(basename "$0") k8s://https://HOST:PORT [SPARK-SUBMIT OPTION...] -- run --out DIR [OPTION...])"
MASTER="$1"
shift
VI4DVAR_PROGRAM="$0 $MASTER --"
vi4dvar_require_spark_home
vi4dvar_split_args "$@"
EXTRA_OPTS=()
if [[ -n "${VI4DVAR_IMAGE:-}" ]]; then
  EXTRA_OPTS+=(--conf "spark.kubernetes.container.image=$VI4DVAR_IMAGE")
elif [[ " ${SUBMIT_OPTS[*]-} " != *spark.kubernetes.container.image=* ]]; then
  vi4dvar_die "no container image: set VI4DVAR_IMAGE or pass --conf spark.kubernetes.container.image=IMAGE"
fi
vi4dvar_submit "$MASTER"
