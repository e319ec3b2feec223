# Sourced by bin/cairn and by the developer wrapper ./cairnw: finds a JDK of release 21 or newer.
# Order: $JAVA_HOME, the java on $PATH, then the usual install folders; the newest suitable one wins
# among the install folders. Sets CAIRN_JAVA_HOME, or prints one line saying what to install and
# returns 1. With argument "jdk", a javac must be there too (building needs a JDK, running a JRE).

CAIRN_MIN_JAVA=21

cairn_java_release() {
  # Prints the feature release (17, 21, 25, ...) of the Java home in $1, or nothing.
  local home=$1 v=
  [ -x "$home/bin/java" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  v=${v#1.}
  v=${v%%[.+-]*}
  case $v in ''|*[!0-9]*) return 1 ;; esac
  echo "$v"
}

cairn_find_java() {
  local need=${1:-jre} candidates=() c best= best_v=0 v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)" 2>/dev/null) && candidates+=("${c%/bin/java}")
  fi
  # The first suitable of JAVA_HOME and PATH wins: the user chose it.
  for c in "${candidates[@]}"; do
    v=$(cairn_java_release "$c") || continue
    if [ "$v" -ge "$CAIRN_MIN_JAVA" ] && { [ "$need" != jdk ] || [ -x "$c/bin/javac" ]; }; then
      CAIRN_JAVA_HOME=$c; return 0
    fi
  done
  for c in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] || continue
    v=$(cairn_java_release "$c") || continue
    [ "$need" = jdk ] && [ ! -x "$c/bin/javac" ] && continue
    if [ "$v" -ge "$CAIRN_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  if [ -n "$best" ]; then CAIRN_JAVA_HOME=$best; return 0; fi
  echo "cairn: needs a Java ${need^^} of release $CAIRN_MIN_JAVA or newer (found none in JAVA_HOME, PATH or the usual folders): install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME" >&2
  return 1
}
