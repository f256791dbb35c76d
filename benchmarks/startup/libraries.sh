#!/usr/bin/env bash
# What the bundled libraries cost on their own, cold, beside qcfg's first start (issue 16): the
# baseline for the first-1k goal. Each run is a fresh JVM without an agent on the first-1k data
# (1,000 leaves in 5 files, schema.json over every key), alternated run by run:
#
#   hello       prints a line (the JVM's own start and exit)
#   typesafe    Typesafe Config parses the five files, merges them (withFallback, highest first),
#               resolves, and reads the value First reads: no validation, nothing recorded
#   +everit     the same, then everit loads schema.json (RE2J patterns, as qcfg configures it)
#               and validates the merged tree rendered as JSON
#   qcfg        start.First under -javaagent:qcfg.jar, empty state directory (first-1k)
#
# Typesafe and everit are the copies relocated inside qcfg.jar, read from the bootstrap class
# path as qcfg reads them (-Xbootclasspath/a: no verification, no agent). Usage, after
# benchmarks/startup/run.sh has made its data once:
#
#   [QCFG_JAR=other/qcfg.jar] benchmarks/startup/libraries.sh [runs]      (default: 15)
#
# Prints medians in ms and each one's difference from hello.
set -euo pipefail
runs=${1:-15}
root=$(cd "$(dirname "$0")/../.." && pwd)
qcfg=${QCFG_JAR:-$root/agent/target/qcfg.jar}
w=$root/benchmarks/target/startup
[ -f "$w/tree1k/schema.json" ] || { echo "run benchmarks/startup/run.sh once first" >&2; exit 2; }
lib=$w/apps/libraries
if [ ! -f "$lib/classes/start/Libraries.class" ] || [ "$qcfg" -nt "$lib/classes/start/Libraries.class" ]; then
  mkdir -p "$lib/src/start" "$lib/classes"
  cat > "$lib/src/start/Libraries.java" <<'JAVA'
package start;

import io.qcfg.shaded.typesafe.config.Config;
import io.qcfg.shaded.typesafe.config.ConfigFactory;
import io.qcfg.shaded.typesafe.config.ConfigRenderOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Typesafe's bare load of the first-1k files; with "schema", everit's validation after it. */
public final class Libraries {
  public static void main(String[] a) throws Exception {
    String d = a[0];
    Config c = ConfigFactory.parseFile(new File(d, "secrets/rotated.conf"))
        .withFallback(ConfigFactory.parseFile(new File(d, "secrets/extra.conf")))
        .withFallback(ConfigFactory.parseFile(new File(d, "local.conf")))
        .withFallback(ConfigFactory.parseFile(new File(d, "environments/staging.conf")))
        .withFallback(ConfigFactory.parseFile(new File(d, "application.conf")))
        .resolve();
    if (a.length > 1) {
      io.qcfg.shaded.json.JSONObject raw =
          new io.qcfg.shaded.json.JSONObject(Files.readString(Path.of(d, "schema.json")));
      io.qcfg.shaded.everit.json.schema.loader.SchemaLoader.builder().schemaJson(raw)
          .regexpFactory(new io.qcfg.shaded.everit.json.schema.regexp.RE2JRegexpFactory())
          .build().load().build()
          .validate(new io.qcfg.shaded.json.JSONObject(c.root().render(ConfigRenderOptions.concise())));
    }
    System.out.println("value=" + c.getInt("module-0.section-7.port"));
  }
}
JAVA
  javac --release 17 -cp "$qcfg" -d "$lib/classes" "$lib/src/start/Libraries.java"
fi
. "$(dirname "$0")/timing.sh" # one, med
state=${TMPDIR:-/tmp}/qcfg-libraries-$$
trap 'rm -rf "$state"' EXIT
boot=(-Xbootclasspath/a:"$qcfg" -cp "$lib/classes" start.Libraries "$w/tree1k")
java "${boot[@]}" schema >/dev/null # fails loudly if the baseline itself fails
h=(); t=(); e=(); q=()
for _ in $(seq "$runs"); do
  h+=("$(one java -cp "$w/apps/classes" start.Hello)")
  t+=("$(one java "${boot[@]}")")
  e+=("$(one java "${boot[@]}" schema)")
  rm -rf "$state"
  q+=("$(one java -javaagent:"$qcfg"=dir="$w/tree1k",env=staging,state="$state" -cp "$w/apps/classes" start.First)")
done
mh=$(med "${h[@]}"); mt=$(med "${t[@]}"); me=$(med "${e[@]}"); mq=$(med "${q[@]}")
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs alternated runs; medians in ms (+ over hello)"
printf '%-10s %6d\n' hello "$mh"
printf '%-10s %6d %+6d\n' typesafe "$mt" $((mt - mh)) +everit "$me" $((me - mh)) qcfg "$mq" $((mq - mh))
