#!/usr/bin/env bash
# Two qcfg jars on a restart, alternated run by run, measured by qcfg's own start-up trace
# (trace=startup) rather than process wall time, which a shared machine's load blurs more. Usage,
# after benchmarks/startup/run.sh has made its data once:
#
#   benchmarks/startup/trace-ab.sh <tree1k|tree10k> <runs> <before/qcfg.jar> <after/qcfg.jar>
#
# Prints, per jar, the medians of: the publish (ms after premain began), the files' digest on
# qcfg-inputs (the "fast path: inputs (digest...)" line) and the applier's wait for it; then the
# publish of every run, in order, so that pairs can be compared. Name both jars qcfg.jar.
set -euo pipefail
T=$1; n=$2; A=$3; B=$4
w="$(cd "$(dirname "$0")/../target/startup" && pwd)"
out=${TMPDIR:-/tmp}/qcfg-trace-ab-$T
med() { sort -n | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}'; }
for v in A B; do
  rm -rf "$out-$v"; : > "$out-$v.txt"
  java -javaagent:"${!v}"=dir=$w/$T,env=staging,state="$out-$v" -cp "$w/apps/classes" start.First \
    >/dev/null 2>&1
done
for i in $(seq "$n"); do
  for v in A B; do
    java -javaagent:"${!v}"=dir=$w/$T,env=staging,state="$out-$v",trace=startup \
      -cp "$w/apps/classes" start.First 2>&1 \
      | awk '/ publish /{p=$1} /fast path: inputs \(digest[:)]/{d=$2} /inputs \(digest, wait/{x=$2}
             END {print p, d, x}' >> "$out-$v.txt"
  done
done
for v in A B; do
  f=$out-$v.txt
  echo "$T $v publish=$(cut -d' ' -f1 "$f" | med) digest=$(cut -d' ' -f2 "$f" | med)" \
    "wait=$(cut -d' ' -f3 "$f" | med)  publish: $(cut -d' ' -f1 "$f" | tr '\n' ' ')"
done
