#!/usr/bin/env bash
# Start-up cost of the agent, as process wall time, medians of alternated runs (issue 3).
#
#   agent/src/test/sh/startup-overhead.sh [runs] [java]
#
# Needs `mvn -DskipTests package -pl runtime,agent` first (qcfg.jar and the test apps).
# Scenarios, each run without an agent, with a no-op agent (registers a transformer that does
# nothing: the JVM's own price for any Java agent that sees class loads) and with qcfg,
# alternated so that machine noise hits all three:
#   hello     app.Hello touches no annotated class          (goal: <= 100 ms added)
#   first     app.FirstUse reads one bound field and exits  (goal: <= 400 ms added)
#   scan      loads 5,000 generated classes, none annotated: what the transformer's pre-filter
#             costs (compare with hello)
#   classes   loads 5,000 generated classes, 50 annotated   (goal: <= 150 ms added; the first
#             annotated class also waits for the first snapshot, as in "first")
# Generated classes live under target/startup-classes.
set -euo pipefail
runs=${1:-11}
java=${2:-java}
here=$(cd "$(dirname "$0")/../../.." && pwd)   # the agent module
jar=$here/target/qcfg.jar
tc=$here/target/test-classes
work=$here/target/startup-overhead
mkdir -p "$work/config"
printf 's { string = configured, int = 5 }\n' > "$work/config/application.conf"
agent="-javaagent:$jar=dir=$work/config,state=$work/state,watch=false,jmx=false"

noop=$work/noop.jar
if [ ! -f "$noop" ]; then
  mkdir -p "$work/noop/src/noop" "$work/noop/classes"
  cat > "$work/noop/src/noop/Agent.java" <<'JAVA'
package noop;
public final class Agent {
  public static void premain(String args, java.lang.instrument.Instrumentation inst) {
    inst.addTransformer(new java.lang.instrument.ClassFileTransformer() {}, false);
  }
}
JAVA
  javac --release 17 -d "$work/noop/classes" "$work/noop/src/noop/Agent.java"
  printf 'Premain-Class: noop.Agent\n' > "$work/noop/manifest.txt"
  jar cfm "$noop" "$work/noop/manifest.txt" -C "$work/noop/classes" .
fi

gen=$here/target/startup-classes
generate() { # $1: directory, $2: every how many classes one is annotated (0: none)
  local dir=$1 every=$2
  [ -f "$dir/classes/gen/Main.class" ] && return
  mkdir -p "$dir/src/gen" "$dir/classes"
  {
    echo 'package gen; public final class Main { public static void main(String[] a) throws Exception {'
    echo '  long s = 0; for (int i = 0; i < 5000; i++) { s += Class.forName("gen.C" + i).getName().length(); }'
    echo '  System.out.println(s); } }'
  } > "$dir/src/gen/Main.java"
  for i in $(seq 0 4999); do
    if [ "$every" -gt 0 ] && [ $((i % every)) -eq 0 ]; then
      echo "package gen; public class C$i { @io.qcfg.ConfigValue(\"s.int\") static int v$i = $i; @io.qcfg.ConfigValue(\"s.int\") int w = 1; public int m() { return w + v$i; } }"
    else
      echo "package gen; public class C$i { static int v$i = $i; int w = 1; public int m() { return w + v$i; } }"
    fi > "$dir/src/gen/C$i.java"
  done
  javac --release 17 -nowarn -cp "$jar" -d "$dir/classes" "$dir"/src/gen/*.java
}
generate "$gen/annotated" 100
generate "$gen/plain" 0

ms() { # wall milliseconds of one run
  local t0 t1
  t0=$(date +%s%N)
  "$@" > /dev/null 2>&1
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in hello scan first classes; do
  case $scenario in
    hello) cp=$tc; main=app.Hello ;;
    scan) cp=$gen/plain/classes; main=gen.Main ;;
    first) cp=$tc; main=app.FirstUse ;;
    classes) cp=$gen/annotated/classes; main=gen.Main ;;
  esac
  plain=(); floor=(); with=()
  "$java" -cp "$cp" $main > /dev/null 2>&1 # warm the file cache
  for _ in $(seq "$runs"); do
    plain+=("$(ms "$java" -Xshare:auto -cp "$cp" $main)")
    floor+=("$(ms "$java" -Xshare:auto -javaagent:"$noop" -cp "$cp" $main)")
    with+=("$(ms "$java" -Xshare:auto $agent -cp "$cp" $main)")
  done
  p=$(printf '%s\n' "${plain[@]}" | median)
  f=$(printf '%s\n' "${floor[@]}" | median)
  w=$(printf '%s\n' "${with[@]}" | median)
  printf '%-8s no agent %5d ms | no-op agent %5d ms (+%d) | qcfg %5d ms (+%d)   medians of %d\n' \
    "$scenario" "$p" "$f" $((f - p)) "$w" $((w - p)) "$runs"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

