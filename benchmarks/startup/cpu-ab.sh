#!/usr/bin/env bash
# Two qcfg jars on a restart, alternated run by run: process wall and CPU time (user + sys, from
# /usr/bin/time, to 10 ms). Usage, after benchmarks/startup/run.sh has made its data once:
#
#   benchmarks/startup/cpu-ab.sh <tree1k|tree10k> <runs> <before/qcfg.jar> <after/qcfg.jar>
#
# Prints the medians per jar, then the pair differences (after - before) of CPU, sorted.
set -euo pipefail
T=$1; n=$2; A=$3; B=$4
w="$(cd "$(dirname "$0")/../target/startup" && pwd)"
out=${TMPDIR:-/tmp}/qcfg-cpu-ab-$T
med() { sort -n | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}'; }
rm -f "$out.txt"
for v in A B; do
  rm -rf "$out-$v"
  java -javaagent:"${!v}"=dir=$w/$T,env=staging,state="$out-$v" -cp "$w/apps/classes" start.First \
    >/dev/null 2>&1
done
for i in $(seq "$n"); do
  for v in A B; do
    /usr/bin/time -f "$v %e %U %S" -a -o "$out.txt" java -javaagent:"${!v}"=dir=$w/$T,env=staging,state="$out-$v" \
      -cp "$w/apps/classes" start.First >/dev/null 2>&1
  done
done
for v in A B; do
  grep "^$v " "$out.txt" | awk '{print $2 * 1000, ($3 + $4) * 1000}' > "$out.$v"
  echo "$T $v wall=$(cut -d' ' -f1 "$out.$v" | med) cpu=$(cut -d' ' -f2 "$out.$v" | med)"
done
echo "cpu after - before, by pair: $(paste -d' ' "$out.A" "$out.B" | awk '{print $4 - $2}' | sort -n | tr '\n' ' ')"
