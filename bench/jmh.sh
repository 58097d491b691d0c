#!/usr/bin/env bash
# JMH micro-benchmarks: the protocol (signing, verifying, form decoding) alone, ~40 s; the order
# store alone on the embedded database, ~30 s.
#   bench/jmh.sh                      all of ProtocolBench with the short settings of the class
#   bench/jmh.sh OrderStoreBench      one lookup and one 50-order batch in H2, as the server does them
#   bench/jmh.sh LimitsBench          one merchant rate decision in memory and in Redis (-jvmArgsAppend -Dleopard.bench.redis=redis://…)
#   bench/jmh.sh requestSignMd5 -i 5  any JMH arguments (a regex of benchmarks, -f, -i, -wi, -prof gc...)
# Builds bench/target/benchmarks.jar when it is missing or older than the protocol/server/bench sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
. "$root/bin/find-jdk.sh"
leopard_find_jdk || exit 1
export JAVA_HOME="$LEOPARD_JAVA_HOME"

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/protocol/pom.xml" "$root/protocol/src/main" "$root/server/pom.xml" "$root/server/src/main" "$here/pom.xml" "$here/src" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "jmh.sh: building bench/target/benchmarks.jar..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl protocol,server,bench -am package >&2)
fi

args=("$@")
if [ ${#args[@]} -eq 0 ] || [[ "${args[0]}" == -* ]]; then
  args=("io.leopard.bench.ProtocolBench" "${args[@]}")
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "${args[@]}"
