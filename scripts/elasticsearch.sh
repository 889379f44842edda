#!/usr/bin/env bash
# Runs a real, throw-away Elasticsearch for integration tests, local runs and .ci/run.
#
#   scripts/elasticsearch.sh fetch <version>                   download + unpack (idempotent)
#   scripts/elasticsearch.sh start <version> <port> <workdir>  start, wait for /_cluster/health
#   scripts/elasticsearch.sh start-secured <version> <port> <workdir>
#                                                              the same with TLS and authentication
#   scripts/elasticsearch.sh stop <workdir>                    stop what `start` started there
#
# The distribution is the integ-test-zip from Maven Central (no Docker here). Elasticsearch
# refuses to run as root, and CI runs as root, so as root it runs as the system user
# logship-es. 9.x needs Java 21+, 8.x runs on the default Java 17.
#
# Environment:
#   ES_HOME_BASE          where distributions are unpacked
#                         (default: $HOME/.cache/logship/elasticsearch; as root /opt/logship-es,
#                         because /root is mode 700 and logship-es could not reach it)
#   LOGSHIP_ES_JAVA_HOME  Java for Elasticsearch, overriding the per-major default
#   ES_START_TIMEOUT      seconds to wait for the cluster to answer (default 90)
#   ES_ADMIN_PASSWORD, ES_LOGSHIP_PASSWORD
#                         start-secured: passwords of the users admin (superuser) and logship
#                         (role logship_writer: what logship's Elasticsearch path needs)
set -euo pipefail

ES_USER=logship-es
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
JAVA_FOR_ES9=/usr/lib/jvm/temurin-25-jdk-amd64

is_root() { [[ $(id -u) -eq 0 ]]; }

if is_root; then
  ES_HOME_BASE=${ES_HOME_BASE:-/opt/logship-es}
else
  ES_HOME_BASE=${ES_HOME_BASE:-$HOME/.cache/logship/elasticsearch}
fi

die() { echo "elasticsearch.sh: $*" >&2; exit 1; }
# shellcheck source=process-group.sh
source "$(dirname "$0")/process-group.sh"

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

es_home() { echo "$ES_HOME_BASE/elasticsearch-$1"; }

ensure_es_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  useradd --system --user-group --create-home --home-dir "/var/lib/$ES_USER" \
    --shell /usr/sbin/nologin "$ES_USER"
}

fetch() {
  local version=$1 home
  home=$(es_home "$version")
  mkdir -p "$ES_HOME_BASE"
  # Test classes may start several nodes at once; only one of them should download.
  exec 9<"$ES_HOME_BASE"
  flock 9

  if is_root; then
    ensure_es_user
    chmod 755 "$ES_HOME_BASE"
  fi

  if [[ ! -f "$home/.logship-unpacked" ]]; then
    local artifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip"
    local zip="$ES_HOME_BASE/elasticsearch-$version.zip" staging="$ES_HOME_BASE/.unpack-$version"
    echo "Fetching Elasticsearch $version into $ES_HOME_BASE" >&2
    # Run Maven outside any project so a half-written pom.xml cannot break the download.
    (cd "$ES_HOME_BASE" && mvn -B -q "$DEPENDENCY_PLUGIN:copy" -Dartifact="$artifact" \
        -DoutputDirectory="$ES_HOME_BASE" -Dmdep.overWriteReleases=true) \
      || die "could not download $artifact"
    rm -rf "$staging" "$home"
    mkdir -p "$staging"
    unzip -q "$zip" -d "$staging"
    [[ -x "$staging/elasticsearch-$version/bin/elasticsearch" ]] \
      || die "unexpected layout in $zip"
    mv "$staging/elasticsearch-$version" "$home"
    rm -rf "$staging" "$zip"
    touch "$home/.logship-unpacked"
  fi

  if is_root; then
    # Elasticsearch writes its keystore and temp files into its own config dir.
    chown -R "$ES_USER:$ES_USER" "$home"
    "${RUNUSER[@]}" test -x "$home/bin/elasticsearch" \
      || die "$ES_USER cannot reach $home; set ES_HOME_BASE to a directory whose parents it can traverse"
  fi
  exec 9>&-
}

java_home_for() {
  local version=$1
  if [[ -n ${LOGSHIP_ES_JAVA_HOME:-} ]]; then
    echo "$LOGSHIP_ES_JAVA_HOME"
  elif [[ ${version%%.*} -ge 9 ]]; then
    echo "$JAVA_FOR_ES9"
  else
    local java
    java=$(readlink -f "$(command -v java)") || die "no java on PATH"
    echo "${java%/bin/java}"
  fi
}

SECURED=false

# Answers only when Elasticsearch does: a bare curl would take any HTTP server on the port.
cluster_answers() {
  if [[ $SECURED == true ]]; then
    curl -sf --max-time 2 --cacert "$2/config/ca/ca.crt" -u "admin:$ES_ADMIN_PASSWORD" \
      "https://127.0.0.1:$1/_cluster/health" 2>/dev/null | grep -q '"cluster_name"'
  else
    curl -sf --max-time 2 "http://127.0.0.1:$1/_cluster/health" 2>/dev/null | grep -q '"cluster_name"'
  fi
}

# A configuration of its own in $workdir/config: a CA and an HTTP certificate for 127.0.0.1 made by
# Elasticsearch's certutil (clients trust config/ca/ca.crt), and file-realm users. The integ-test zip
# cannot hold native users or API keys: its .security index needs the analysis-common module it lacks.
secure_config() {
  local home=$1 workdir=$2 java_home=$3 conf=$2/config
  ES_ADMIN_PASSWORD=${ES_ADMIN_PASSWORD:-} ES_LOGSHIP_PASSWORD=${ES_LOGSHIP_PASSWORD:-}
  [[ ${#ES_ADMIN_PASSWORD} -ge 6 && ${#ES_LOGSHIP_PASSWORD} -ge 6 ]] \
    || die "start-secured needs ES_ADMIN_PASSWORD and ES_LOGSHIP_PASSWORD (6 characters or more)"
  rm -rf "$conf"
  cp -r "$home/config" "$conf"
  local tool=(env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$conf")
  "${tool[@]}" "$home/bin/elasticsearch-certutil" ca --silent --pem --out "$workdir/ca.zip" >&2
  unzip -q "$workdir/ca.zip" -d "$conf"
  rm -f "$workdir/ca.zip"
  "${tool[@]}" "$home/bin/elasticsearch-certutil" cert --silent --ca-cert "$conf/ca/ca.crt" \
    --ca-key "$conf/ca/ca.key" --ip 127.0.0.1 --dns localhost --out "$conf/http.p12" --pass "" >&2
  cat >>"$conf/roles.yml" <<'ROLES'
logship_writer:
  cluster: [monitor]
  indices:
    - names: ["logs-*"]
      privileges: [create_doc, auto_configure]
ROLES
  "${tool[@]}" "$home/bin/elasticsearch-users" useradd admin -p "$ES_ADMIN_PASSWORD" -r superuser
  "${tool[@]}" "$home/bin/elasticsearch-users" useradd logship -p "$ES_LOGSHIP_PASSWORD" -r logship_writer
}

start() {
  local version=$1 port=$2 workdir=$3 home java_home timeout=${ES_START_TIMEOUT:-90}
  [[ $port =~ ^[0-9]+$ ]] || die "port must be a number: $port"
  fetch "$version"
  home=$(es_home "$version")
  java_home=$(java_home_for "$version")
  [[ -x "$java_home/bin/java" ]] || die "no java at $java_home (set LOGSHIP_ES_JAVA_HOME)"

  port_in_use "$port" && die "127.0.0.1:$port is already in use"
  mkdir -p "$workdir"
  workdir=$(cd "$workdir" && pwd)
  [[ -f "$workdir/es.pid" ]] && group_alive "$(cat "$workdir/es.pid")" \
    && die "an Elasticsearch is already running from $workdir"
  mkdir -p "$workdir/data" "$workdir/logs" "$workdir/tmp"
  local security=(-Expack.security.enabled=false) conf=$home/config
  if [[ $SECURED == true ]]; then
    secure_config "$home" "$workdir" "$java_home"
    conf=$workdir/config
    security=(-Expack.security.enabled=true -Expack.security.http.ssl.enabled=true
      -Expack.security.http.ssl.keystore.path=http.p12)
  fi
  if is_root; then
    ensure_es_user
    chown -R "$ES_USER:$ES_USER" "$workdir"
  fi

  # setsid puts runuser, the CLI launcher and the server JVM into one process group whose
  # id is the pid we record, so `stop` can signal all of them at once.
  # The working directory is the workdir because logship-es may not be able to enter ours.
  (cd "$workdir" && exec setsid "${RUNUSER[@]}" env \
      ES_JAVA_HOME="$java_home" \
      ES_JAVA_OPTS="-Xms512m -Xmx512m" \
      ES_TMPDIR="$workdir/tmp" \
      ES_PATH_CONF="$conf" \
      "$home/bin/elasticsearch" \
      -Ediscovery.type=single-node \
      "${security[@]}" \
      -Ehttp.host=127.0.0.1 \
      -Ehttp.port="$port" \
      -Etransport.host=127.0.0.1 \
      -Epath.data="$workdir/data" \
      -Epath.logs="$workdir/logs" \
      -Ecluster.routing.allocation.disk.threshold_enabled=false \
      </dev/null >"$workdir/es.out" 2>&1) &
  local pid=$!
  echo "$pid" >"$workdir/es.pid"

  local started=$SECONDS
  echo "Starting Elasticsearch $version on 127.0.0.1:$port (pid $pid, workdir $workdir)" >&2
  while (( SECONDS - started < timeout )); do
    if cluster_answers "$port" "$workdir"; then
      echo "Elasticsearch $version is up on 127.0.0.1:$port after $((SECONDS - started)) s" >&2
      return 0
    fi
    if ! group_alive "$pid"; then
      print_log_tail "$workdir/es.out"
      die "Elasticsearch $version exited during startup"
    fi
    sleep 1
  done
  print_log_tail "$workdir/es.out"
  stop "$workdir" || true
  die "Elasticsearch $version did not answer on 127.0.0.1:$port within $timeout s"
}

stop() { stop_group "$1/es.pid" elasticsearch Elasticsearch; }

if is_root; then RUNUSER=(runuser -u "$ES_USER" --); else RUNUSER=(); fi

for tool in curl unzip flock setsid pgrep; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install curl unzip util-linux procps)"
done

[[ $# -ge 1 ]] || usage
command=$1
shift
case $command in
  fetch) [[ $# -eq 1 ]] || usage; fetch "$1" ;;
  start) [[ $# -eq 3 ]] || usage; start "$1" "$2" "$3" ;;
  start-secured) [[ $# -eq 3 ]] || usage; SECURED=true; start "$1" "$2" "$3" ;;
  stop)  [[ $# -eq 1 ]] || usage; stop "$1" ;;
  *) usage ;;
esac
