#!/usr/bin/env bash
# Sourced by tools/losslab and tools/test: sets JAVA_HOME to a JDK >= 21 and JAVA_MAJOR to its version.
# Order: $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm, else `java` on PATH.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
losslab_find_jdk() {
  local cand best="" best_major=0 major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(java_major "$cand")
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [ "$cand" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best=$cand; best_major=$major; break; fi
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$cand; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "losslab: error: no JDK >= 21 found (set JAVA_HOME; looked in \$JAVA_HOME, /usr/lib/jvm, PATH)" >&2
    return 1
  fi
  export JAVA_HOME=$best JAVA_MAJOR=$best_major
}
# Maven itself (Guava) trips the sun.misc.Unsafe warning on JDK >= 24; keep build output clean.
losslab_maven_opts() {
  if [ "${JAVA_MAJOR:-0}" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
