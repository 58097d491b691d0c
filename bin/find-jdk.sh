# Sourced by ./leopard and ./run-tests: sets LEOPARD_JAVA_HOME to a JDK 21 or newer (and
# LEOPARD_JAVA_MAJOR to its major version), or explains why not.
# Looks at JAVA_HOME first, then the usual install folders (newest first).

leopard_java_major() {
  # prints the major version of the JDK in $1, or nothing; the release file is read first because
  # starting a JVM just to ask costs a third of a second
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$1/release" | head -n 1)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  printf '%s' "$v"
}

leopard_find_jdk() {
  local tried="" candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/ "$HOME"/.sdkman/candidates/java/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(leopard_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      LEOPARD_JAVA_HOME="$candidate"
      LEOPARD_JAVA_MAJOR="$major"
      return 0
    fi
    tried="$tried\n  $candidate (Java ${major:-unknown})"
  done
  printf 'Leopard needs a JDK 21 or newer (the server runs on Helidon SE 4 with virtual threads).\n' >&2
  if [ -n "$tried" ]; then
    printf 'Found only:%b\n' "$tried" >&2
  else
    printf 'Found no JDK in JAVA_HOME or /usr/lib/jvm.\n' >&2
  fi
  printf 'Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it.\n' >&2
  return 1
}

# MAVEN_OPTS for a quiet build: -B turns Maven's colours off, but Maven 3.8's jansi still writes a
# colour reset (ESC[0m) to stdout and stderr unless told not to, and Maven's own libraries trip JDK
# 24+'s sun.misc.Unsafe warnings (the flag that allows them is known from JDK 23 on; 21 would refuse
# it). Call after leopard_find_jdk; prints the options.
leopard_quiet_maven_opts() {
  local opts="-Djansi.noreset=true"
  if [ "${LEOPARD_JAVA_MAJOR:-0}" -ge 23 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
  printf '%s %s' "$opts" "${MAVEN_OPTS:-}"
}
