#!/usr/bin/env bash
# A Leopard cluster on this machine (see README "Run a cluster" and docs/OPERATIONS.md):
#   bench/cluster.sh             nginx in front of 2 nodes (--nodes 3 for three) on a private PostgreSQL
#                                and Redis; prints the URL, merchants and a signed curl; Ctrl-C stops it
#   bench/cluster.sh --drill     the failure drills (kill -9, rolling restart, Redis, PostgreSQL, merchant
#                                change); a table, bench/results/cluster-drill-*.json; exit 0 only if all pass
#   bench/cluster.sh --bench     C1 (throughput through nginx, 2 nodes vs 1) and C2 (a shared 100/s limit)
#   bench/cluster.sh --help      every option
# Installs nginx and wrk with apt-get when absent. Everything runs on loopback, on free ports, in a
# temporary folder; on exit (Ctrl-C included) every process it started is stopped and the folder removed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

. "$root/bin/find-jdk.sh"
leopard_find_jdk || exit 1
export JAVA_HOME="$LEOPARD_JAVA_HOME"

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
for tool in python3 curl psql initdb pg_ctl redis-server redis-cli; do
  command -v "$tool" >/dev/null || { echo "cluster.sh: $tool is needed (PostgreSQL server binaries, redis-server)" >&2; exit 1; }
done
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "cluster.sh: run as root, PostgreSQL needs the 'postgres' user to run as" >&2; exit 1
fi
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "cluster.sh: installing ${missing[*]} with apt-get..." >&2
  pkgs=("${missing[@]}")
  # Debian 12 has the small nginx-light; later releases have one nginx package
  if [[ " ${missing[*]} " == *" nginx "* ]] && apt-cache show nginx-light >/dev/null 2>&1; then
    pkgs=("${pkgs[@]/nginx/nginx-light}")
  fi
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "${pkgs[@]}" >&2 || {
    echo "cluster.sh: could not install ${missing[*]}; install them (apt-get install ${missing[*]}) and run again" >&2; exit 1; }
fi
export PATH="$PATH:/usr/sbin"

jar="$root/server/target/leopard.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/protocol/pom.xml" "$root/protocol/src/main" "$root/server/pom.xml" "$root/server/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "cluster.sh: building the server jar..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl protocol,server -am package >&2)
fi

# cluster.py stops what it started (finally + signal handlers); this trap is the safety net for
# anything it could not stop: the processes it recorded, a PostgreSQL left running, the folder.
workdir="$(mktemp -d /tmp/leopard-cluster.XXXXXX)"
pidfile="$workdir/pids"
: >"$pidfile"
cleanup() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done <"$pidfile"
  if [ -f "$workdir/pg/data/postmaster.pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- pg_ctl -D "$workdir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    else pg_ctl -D "$workdir/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
# cluster.py runs in the background so that a SIGTERM or SIGHUP to this script reaches it at once
# (a foreground child would keep the signal waiting); it tears down on the first signal.
python3 "$here/cluster.py" --root "$root" --workdir "$workdir" --pid-file "$pidfile" "$@" &
py=$!
trap 'kill -INT "$py" 2>/dev/null || true' INT TERM HUP
rc=0
while :; do
  wait "$py" && rc=0 || rc=$?
  kill -0 "$py" 2>/dev/null || break
done
exit "$rc"
