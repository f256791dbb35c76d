#!/usr/bin/env bash
# Start-up and exit cost of -javaagent:qcfg.jar, as users pay it (issue 16). Process wall time,
# medians of alternated runs: every scenario runs the same application without an agent, under
# an empty agent (registers a transformer that does nothing: the JVM's own price for any Java
# agent, the floor) and under qcfg with its default options (watching and JMX on), in turn, so
# that machine noise hits all three alike.
#
#   [QCFG_JAR=other/qcfg.jar] [SCENARIOS="restart-1k hello"] benchmarks/startup/run.sh [runs] [java]
#   (default: 11 runs, every scenario)
#
# Needs qcfg.jar and the benchmarks jar (for the config generator): built here if missing.
#
# Scenarios (goals from issue 16, "added" = qcfg minus no agent unless it says floor):
#   first-1k     first bound value; 1,000 leaves in 5 files, schema.json over every key;
#                empty state dir on every run                                  goal <= +250 ms
#   restart-1k   the same with the state dir of the previous run (unchanged inputs) <= +120 ms
#   restart-10k  10,000 leaves, restart on unchanged inputs                    goal <= +200 ms
#   first-tiny   first bound value, one key, no schema, empty state dir        goal <= +120 ms
#   hello        touches no annotated class                          goal <= +60 ms over floor
#   classes      loads 5,000 classes, 50 with @ConfigValue                     goal <= +150 ms
# "exit" is the median time from the last statement of main to the end of the process
# (goal: <= +20 ms over the floor).
set -euo pipefail
runs=${1:-11}
java=${2:-java}
root=$(cd "$(dirname "$0")/../.." && pwd)
qcfg=${QCFG_JAR:-$root/agent/target/qcfg.jar} # QCFG_JAR: measure another build (before/after)
bench=$root/benchmarks/target/benchmarks.jar
work=$root/benchmarks/target/startup
if [ ! -f "$qcfg" ] || [ ! -f "$bench" ]; then
  (cd "$root" && mvn -q -B -DskipTests package)
fi
mkdir -p "$work"
if [ "$(basename "$qcfg")" != qcfg.jar ]; then
  # Its manifest puts the jar on the bootstrap class path by the name qcfg.jar (README: Start-up
  # time); under another name qcfg runs from the system class path, 100-150 ms slower.
  echo "WARNING: $qcfg is not named qcfg.jar: this measures qcfg on the system class path" >&2
fi

# -- the empty agent (floor) ---------------------------------------------------------------
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

# -- applications ----------------------------------------------------------------------------
apps=$work/apps
if [ ! -f "$apps/classes/start/First.class" ]; then
  mkdir -p "$apps/src/start" "$apps/classes"
  cat > "$apps/src/start/Hello.java" <<'JAVA'
package start;
public final class Hello {
  public static void main(String[] a) {
    System.out.println("hello");
    System.out.println("exit-at=" + System.currentTimeMillis());
  }
}
JAVA
  cat > "$apps/src/start/First.java" <<'JAVA'
package start;
/** Reads one bound static field (the first annotated class waits for the first snapshot). */
public final class First {
  @io.qcfg.ConfigValue("module-0.section-7.port") static int port = -1;
  public static void main(String[] a) {
    System.out.println("value=" + port);
    System.out.println("exit-at=" + System.currentTimeMillis());
  }
}
JAVA
  cat > "$apps/src/start/Tiny.java" <<'JAVA'
package start;
public final class Tiny {
  @io.qcfg.ConfigValue("s.int") static int value = -1;
  public static void main(String[] a) {
    System.out.println("value=" + value);
    System.out.println("exit-at=" + System.currentTimeMillis());
  }
}
JAVA
  javac --release 17 -cp "$qcfg" -d "$apps/classes" "$apps"/src/start/*.java
fi
gen=$apps/classes5000
if [ ! -f "$gen/classes/gen/Main.class" ]; then
  mkdir -p "$gen/src/gen" "$gen/classes"
  {
    echo 'package gen; public final class Main { public static void main(String[] a) throws Exception {'
    echo '  long s = 0; for (int i = 0; i < 5000; i++) { s += Class.forName("gen.C" + i).getName().length(); }'
    echo '  System.out.println(s); System.out.println("exit-at=" + System.currentTimeMillis()); } }'
  } > "$gen/src/gen/Main.java"
  for i in $(seq 0 4999); do
    if [ $((i % 100)) -eq 0 ]; then
      echo "package gen; public class C$i { @io.qcfg.ConfigValue(\"s.int\") static int v$i = $i; @io.qcfg.ConfigValue(\"s.int\") int w = 1; public int m() { return w + v$i; } }"
    else
      echo "package gen; public class C$i { static int v$i = $i; int w = 1; public int m() { return w + v$i; } }"
    fi > "$gen/src/gen/C$i.java"
  done
  javac --release 17 -nowarn -cp "$qcfg" -d "$gen/classes" "$gen"/src/gen/*.java
fi

# -- configurations --------------------------------------------------------------------------
[ -f "$work/tree1k/schema.json" ] || java -cp "$bench" qcfg.benchmarks.ConfigGenerator tree "$work/tree1k" 1000
[ -f "$work/tree10k/schema.json" ] || java -cp "$bench" qcfg.benchmarks.ConfigGenerator tree "$work/tree10k" 10000
mkdir -p "$work/tiny"
printf 's { int = 5 }\n' > "$work/tiny/application.conf"

# -- measuring -------------------------------------------------------------------------------
# One run: prints "<wall ms> <exit ms>", where exit ms is the time from main's last statement
# (its exit-at stamp) to the end of the process.
one() {
  local t0 t1 out stamp
  t0=$(date +%s%N)
  out=$("$@" 2>/dev/null) || { echo "FAILED: $*" >&2; out=""; }
  t1=$(date +%s%N)
  stamp=$(printf '%s\n' "$out" | sed -n 's/^exit-at=//p')
  if [ -n "$stamp" ]; then
    echo "$(( (t1 - t0) / 1000000 )) $(( t1 / 1000000 - stamp ))"
  else
    echo "$(( (t1 - t0) / 1000000 )) -1"
  fi
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | sed -n 1p)"
echo "== qcfg.jar $(stat -c %s "$qcfg") bytes; $runs alternated runs per variant; medians in ms"
printf '%-12s %9s %9s %9s %10s %10s | %6s %6s %6s\n' scenario "no agent" floor qcfg "+qcfg" "+over floor" exit0 exitF exitQ
for scenario in ${SCENARIOS:-first-1k restart-1k restart-10k first-tiny hello classes}; do
  state=$work/state-$scenario
  fresh=no
  case $scenario in
    first-1k) cp=$apps/classes; main=start.First; dir=$work/tree1k; env=staging; fresh=yes ;;
    restart-1k) cp=$apps/classes; main=start.First; dir=$work/tree1k; env=staging ;;
    restart-10k) cp=$apps/classes; main=start.First; dir=$work/tree10k; env=staging ;;
    first-tiny) cp=$apps/classes; main=start.Tiny; dir=$work/tiny; env=development; fresh=yes ;;
    hello) cp=$apps/classes; main=start.Hello; dir=$work/tiny; env=development ;;
    classes) cp=$gen/classes; main=gen.Main; dir=$work/tiny; env=development ;;
  esac
  agent="-javaagent:$qcfg=dir=$dir,env=$env,state=$state"
  rm -rf "$state"
  "$java" -cp "$cp:$qcfg" $main > /dev/null 2>&1 || true # warm the file cache
  "$java" $agent -cp "$cp" $main > /dev/null 2>&1 || true # and a state dir for restarts
  p=(); f=(); q=(); pe=(); fe=(); qe=()
  for _ in $(seq "$runs"); do
    [ $fresh = yes ] && rm -rf "$state"
    read -r w e < <(one "$java" -cp "$cp:$qcfg" $main); p+=("$w"); pe+=("$e")
    read -r w e < <(one "$java" -javaagent:"$noop" -cp "$cp:$qcfg" $main); f+=("$w"); fe+=("$e")
    [ $fresh = yes ] && rm -rf "$state"
    read -r w e < <(one "$java" $agent -cp "$cp" $main); q+=("$w"); qe+=("$e")
  done
  mp=$(printf '%s\n' "${p[@]}" | median); mf=$(printf '%s\n' "${f[@]}" | median)
  mq=$(printf '%s\n' "${q[@]}" | median)
  printf '%-12s %9d %9d %9d %+10d %+10d | %6d %6d %6d\n' "$scenario" "$mp" "$mf" "$mq" \
    $((mq - mp)) $((mq - mf)) "$(printf '%s\n' "${pe[@]}" | median)" \
    "$(printf '%s\n' "${fe[@]}" | median)" "$(printf '%s\n' "${qe[@]}" | median)"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
