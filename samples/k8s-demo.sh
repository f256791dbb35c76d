#!/usr/bin/env bash
# Shows qcfg following a Kubernetes ConfigMap volume update, without Kubernetes.
#
# kubelet lays a ConfigMap volume out as
#   <mount>/..2026_01_01_00_00_00.000000001/application.conf   (the real files)
#   <mount>/..data -> ..2026_01_01_00_00_00.000000001           (a symlink to the current ones)
#   <mount>/application.conf -> ..data/application.conf         (one symlink per key)
# and updates it by writing a new timestamped directory, pointing ..data_tmp at it and
# renaming ..data_tmp over ..data: one atomic swap. This script does exactly that while the
# greeter sample runs under the agent, and shows the running service pick up the new value.
#
# Usage: samples/k8s-demo.sh   (after `mvn -q -DskipTests package`; needs curl)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=agent/target/qcfg.jar
APP=samples/target/qcfg-samples.jar
[[ -f $JAR && -f $APP ]] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }

mount=$(mktemp -d /tmp/qcfg-k8s-demo.XXXXXX)
state=$(mktemp -d /tmp/qcfg-k8s-state.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'kill $pid 2>/dev/null || true; rm -rf "$mount" "$state"' EXIT

publish() { # publish <greeting>: one kubelet-style update of the whole volume
  local ts; ts="..$(date -u +%Y_%m_%d_%H_%M_%S).$RANDOM$RANDOM"
  mkdir "$mount/$ts"
  sed -e "s/^  greeting = .*/  greeting = \"$1\"/" -e "s/^http.port = .*/http.port = $port/" \
    samples/greeter/config/application.conf > "$mount/$ts/application.conf"
  cp samples/greeter/config/schema.json samples/greeter/config/rules.conf "$mount/$ts/"
  ln -s "$ts" "$mount/..data_tmp"
  mv -T "$mount/..data_tmp" "$mount/..data"          # the atomic swap
  for f in application.conf schema.json rules.conf; do
    [[ -L $mount/$f ]] || ln -s "..data/$f" "$mount/$f"
  done
  find "$mount" -maxdepth 1 -name '..2*' ! -name "$ts" -exec rm -rf {} +   # kubelet cleans up
}

publish "hello from a ConfigMap"
java -javaagent:$JAR=dir=$mount,state=$state -cp $APP com.example.greeter.GreeterService &
pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/hello" >/dev/null && break; sleep 0.2; done
echo "before: $(curl -s "http://127.0.0.1:$port/hello")"

publish "hello after a kubelet update"
for _ in $(seq 1 50); do
  now=$(curl -s "http://127.0.0.1:$port/hello")
  [[ $now == *"kubelet update"* ]] && break
  sleep 0.1
done
echo "after:  $now"
java -jar $JAR status
[[ $now == *"kubelet update"* ]] || { echo "the update was not picked up" >&2; exit 1; }
