#!/usr/bin/env bash
# Two qcfg jars side by side on one start-up scenario, alternated run by run, so that a change in
# the machine's load hits both. Usage, after benchmarks/startup/run.sh has made its data once:
#
#   benchmarks/startup/ab.sh <scenario> <runs> <before/qcfg.jar> <after/qcfg.jar>
#
# scenario: first-tiny | first-1k | restart-1k | restart-10k | classes. Each jar keeps its own
# state directory (this invocation's, removed at the end): a restart scenario makes it with one
# run first; a first start empties it before every run. Prints the medians of process wall time
# (ms) and every run. Name both jars qcfg.jar (in two directories): the manifest's
# Boot-Class-Path names the jar by that file name. With FLOOR=yes each round also runs the
# empty agent first, and the medians of the rounds' differences (A - floor, B - floor, B - A)
# are printed too: steadier than the medians' differences when the machine's speed drifts.
set -euo pipefail
sc=$1; runs=$2; A=$3; B=$4
w="$(cd "$(dirname "$0")/../target/startup" && pwd)"
cp=$w/apps/classes
case $sc in
  first-tiny) main=start.Tiny; dir=$w/tiny; env=development; fresh=yes;;
  first-1k) main=start.First; dir=$w/tree1k; env=staging; fresh=yes;;
  restart-1k) main=start.First; dir=$w/tree1k; env=staging; fresh=no;;
  restart-10k) main=start.First; dir=$w/tree10k; env=staging; fresh=no;;
  classes) main=gen.Main; dir=$w/tiny; env=development; fresh=no; cp=$w/apps/classes5000/classes;;
  *) echo "unknown scenario $sc" >&2; exit 2;;
esac
# One pair of state directories per invocation: two runs at once must not share them.
state() { echo "${TMPDIR:-/tmp}/qcfg-ab-$$-$sc-$1"; }
trap 'rm -rf "$(state A)" "$(state B)"' EXIT
. "$(dirname "$0")/timing.sh" # one, med
for v in A B; do
  rm -rf "$(state $v)"
  java -javaagent:"${!v}"=dir=$dir,env=$env,state="$(state $v)" -cp "$cp" $main >/dev/null 2>&1
done
a=(); b=(); fa=(); fb=(); ba=()
for i in $(seq "$runs"); do
  if [ "${FLOOR:-no}" = yes ]; then
    f=$(one java -javaagent:"$w/noop.jar" -cp "$cp" $main)
  fi
  for v in A B; do
    [ $fresh = yes ] && rm -rf "$(state $v)"
    t=$(one java -javaagent:"${!v}"=dir=$dir,env=$env,state="$(state $v)" -cp "$cp" $main)
    if [ $v = A ]; then a+=("$t"); else b+=("$t"); fi
  done
  if [ "${FLOOR:-no}" = yes ]; then
    fa+=($((a[-1] - f))); fb+=($((b[-1] - f))); ba+=($((b[-1] - a[-1])))
  fi
done
echo "$sc A=$(med "${a[@]}") B=$(med "${b[@]}")  (A: ${a[*]}) (B: ${b[*]})"
if [ "${FLOOR:-no}" = yes ]; then
  echo "$sc per round: A-floor=$(med "${fa[@]}") B-floor=$(med "${fb[@]}") B-A=$(med "${ba[@]}")  (B-A: ${ba[*]})"
fi
