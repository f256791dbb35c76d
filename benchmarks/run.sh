#!/usr/bin/env bash
# Runs the whole JMH suite: about 10 minutes on 2 cores. Usage, from anywhere:
#
#   benchmarks/run.sh [JMH options...]      e.g.  benchmarks/run.sh -prof gc
#
# 1. Builds benchmarks/target/benchmarks.jar if it is missing or older than the sources.
# 2. LoadBenchmark, LookupBenchmark and DigestBenchmark, without the agent.
# 3. FieldReadBenchmark and ReloadUnderReadBenchmark under -javaagent:$QCFG_JAR (default
#    agent/target/qcfg.jar) when that jar exists; otherwise without the agent, and their output
#    says the @ConfigValue field was bound by reflection, not instrumented.
# 4. benchmarks/startup/run.sh: start-up and exit cost of the agent, per scenario of issue 16;
#    then benchmarks/startup/libraries.sh: first-1k beside the bundled libraries' own cold load.
# Results: benchmarks/target/results-{engine,fields,reload}.{json,txt}, results-startup.txt. Options given here go to both
# JMH runs; they override the per-class annotations (iterations, forks, times).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/benchmarks/target"
jar="$target/benchmarks.jar"
agent="${QCFG_JAR:-$root/agent/target/qcfg.jar}"

stale="$(find "$root/runtime/src/main" "$root/benchmarks/src" "$root/benchmarks/pom.xml" \
  -newer "$jar" -print -quit 2>/dev/null || echo missing)"
if [ ! -f "$jar" ] || [ -n "$stale" ]; then
  echo "== building $jar"
  (cd "$root" && mvn -q -B -DskipTests package -pl runtime,benchmarks -am)
fi

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | sed -n 1p

echo "== engine: LoadBenchmark, LookupBenchmark, DigestBenchmark (no agent)"
# CpuTimeProfiler adds ·cpu.per.op: CPU time of the whole fork per call, steadier than
# wall-clock time on a machine shared with other jobs.
java -jar "$jar" 'LoadBenchmark|LookupBenchmark|DigestBenchmark' -prof qcfg.benchmarks.CpuTimeProfiler \
  -rf json -rff "$target/results-engine.json" "$@" | tee "$target/results-engine.txt"

echo "== fields: FieldReadBenchmark, ReloadUnderReadBenchmark"
# Readers during reloads: cores - 1 readers and one reloader (-tg), so that a reloader spinning
# back to back does not take its core from the readers; the same readers undisturbed are the
# baseline (issue 19 item 4). reloadAlone has one thread and runs with the field benchmarks.
readers=$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))
fields=(java -jar "$jar")
if [ -f "$agent" ]; then
  config="$target/agent-config"
  rm -rf "$config" "$target/agent-state"
  java -cp "$jar" qcfg.benchmarks.ConfigGenerator small "$config"
  echo "   under -javaagent:$agent"
  # qcfg.jar first on the class path: io.qcfg.* (and the relocated libraries) then load from the
  # agent's own jar, so the runtime measured is exactly the one the agent was built with.
  fields=(java -Dqcfg.jar="$agent" -cp "$agent:$jar" org.openjdk.jmh.Main
    -jvmArgsAppend "-Dqcfg.log=warn -javaagent:$agent=dir=$config,watch=false,jmx=false,state=$target/agent-state,packages=qcfg.benchmarks")
else
  echo "   WITHOUT the agent ($agent not found; build it, or set QCFG_JAR)"
fi
"${fields[@]}" 'FieldReadBenchmark|ReloadUnderReadBenchmark.reloadAlone' \
  -rf json -rff "$target/results-fields.json" "$@" | tee "$target/results-fields.txt"
echo "== readers during reloads: $readers reader(s) + 1 reloader"
"${fields[@]}" 'ReloadUnderReadBenchmark.(field|lookup)' -tg "$readers,1" \
  -rf json -rff "$target/results-reload.json" "$@" | tee "$target/results-reload.txt"
if [ "${QCFG_SKIP_STARTUP:-}" != 1 ]; then
  echo "== start-up: benchmarks/startup/run.sh (process wall time; QCFG_SKIP_STARTUP=1 skips it)"
  bash "$root/benchmarks/startup/run.sh" | tee "$target/results-startup.txt"
  echo "== start-up baseline: benchmarks/startup/libraries.sh (Typesafe's and everit's own cold cost)"
  bash "$root/benchmarks/startup/libraries.sh" | tee -a "$target/results-startup.txt"
fi
echo "== done; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
