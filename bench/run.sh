#!/usr/bin/env bash
# Leopard benchmarks in one command (see docs/PERFORMANCE.md):
#   bench/run.sh            T0-T6, W1/T1w/W2, S1, N1/W1-notify + memory/start-up on H2, PostgreSQL, MariaDB, then I1 (~25 min)
#   bench/run.sh --quick    T0, T1, T2 on the embedded database only (~1 min)
#   bench/run.sh --jmh      the JMH micro-benchmarks of the protocol instead (bench/jmh.sh, ~40 s)
#   bench/run.sh --import   I1 alone: 1M-row order import into empty vs. non-empty PostgreSQL/MariaDB (~8 min)
#   bench/run.sh --writes   W1, T1q/T1w, W2 alone: orders:batch writes, T1 under 2,000 orders/s, RabbitMQ events (~8 min)
#   bench/run.sh --sync     S1 alone: brushcard polling of 1,000 pending orders with a 50 ms sandbox channel (~3.5 min)
#   bench/run.sh --notify   N1 and W1-notify alone: notifications/s to a local receiver answering in 20 ms (one
#                           merchant, 19 merchants), and W1 with merchants notified beside a twin without, on H2
#                           and on PostgreSQL (~7 min)
#   bench/run.sh --only T3,T6   only these tests of the plan, on only their servers (here P2 on PostgreSQL, ~2 min)
#   bench/run.sh --help     every option (rounds, duration, connections, orders, --profile...)
# Builds what is missing, installs wrk with apt-get when absent, starts and stops its own servers
# on fresh databases, prints a table and writes bench/results/<UTC timestamp>.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

for a in "$@"; do
  if [ "$a" = "--jmh" ]; then
    shift_args=()
    for b in "$@"; do [ "$b" = "--jmh" ] || shift_args+=("$b"); done
    exec "$here/jmh.sh" "${shift_args[@]}"
  fi
done

. "$root/bin/find-jdk.sh"
leopard_find_jdk || exit 1
export JAVA_HOME="$LEOPARD_JAVA_HOME"

command -v python3 >/dev/null || { echo "run.sh: python3 is needed (it drives the rounds)" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl is needed" >&2; exit 1; }
needs_wrk=1
for a in "$@"; do [ "$a" = "--import" ] && needs_wrk=0; done  # I1 alone runs no HTTP load
if [ "$needs_wrk" = 1 ] && ! command -v wrk >/dev/null; then
  echo "run.sh: installing wrk with apt-get..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq wrk >&2 || {
    echo "run.sh: could not install wrk; install it (apt-get install wrk) and run again" >&2; exit 1; }
fi

# Server jar: the launcher rebuilds it when missing or stale; build it here so that the first
# server start-up time is not a build. The body generator lives in bench/target/benchmarks.jar.
jar="$root/server/target/leopard.jar"
bjar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/protocol/pom.xml" "$root/protocol/src/main" "$root/server/pom.xml" "$root/server/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building the server jar..." >&2
  # package, not install: the reactor (-am) builds protocol too, and ~/.m2 stays untouched
  (cd "$root" && mvn -B -q -DskipTests -pl protocol,server -am package >&2)
fi
if [ ! -f "$bjar" ] || [ -n "$(find "$root/protocol/src/main" "$here/pom.xml" "$here/src" -newer "$bjar" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building bench/target/benchmarks.jar..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl protocol,bench -am package >&2)
fi

# run.py stops its servers and drops its databases itself (finally + SIGINT/SIGTERM handlers);
# this trap is the safety net for anything it recorded in the pid file and could not stop.
pidfile="$(mktemp /tmp/leopard-bench-pids.XXXXXX)"
cleanup() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
  done <"$pidfile"
  rm -f "$pidfile"
}
trap cleanup EXIT
python3 "$here/run.py" --root "$root" --java "$JAVA_HOME/bin/java" --pid-file "$pidfile" "$@"
