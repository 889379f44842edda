#!/usr/bin/env bash
# Runs a real, throw-away single-node Kafka (KRaft, no ZooKeeper) for tests, local runs and .ci/run.
#
#   scripts/kafka.sh fetch                                  download the broker's jars (idempotent)
#   scripts/kafka.sh start <port> <workdir> [<controller-port>]  format (first time) and start, wait for the port
#   scripts/kafka.sh stop <workdir>                         stop what `start` started there
#
# The broker is org.apache.kafka:kafka_2.13 from Maven Central with its dependencies (no Docker, no
# tarball), at the version of the kafka-clients that camel-kafka brings. `start` on a workdir that holds a
# stopped broker's data starts it again with that data (a broker outage in a test).
#
# Environment:
#   KAFKA_VERSION        default 3.9.1 (kafka-clients of camel-kafka 4.17.0)
#   KAFKA_HOME_BASE      where the jars go (default: $HOME/.cache/logship/kafka)
#   KAFKA_START_TIMEOUT  seconds to wait for the broker's port (default 60)
#   KAFKA_HEAP           default -Xms256m -Xmx512m
set -euo pipefail

DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
KAFKA_VERSION=${KAFKA_VERSION:-3.9.1}
KAFKA_HOME_BASE=${KAFKA_HOME_BASE:-$HOME/.cache/logship/kafka}
LIB="$KAFKA_HOME_BASE/kafka-$KAFKA_VERSION/libs"

die() { echo "kafka.sh: $*" >&2; exit 1; }
# shellcheck source=process-group.sh
source "$(dirname "$0")/process-group.sh"

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fetch() {
  mkdir -p "$KAFKA_HOME_BASE"
  # Test JVMs may start the broker at once; only one of them should download.
  exec 9<"$KAFKA_HOME_BASE"
  flock 9
  if [[ ! -f "$LIB/.logship-complete" ]]; then
    echo "Fetching Kafka $KAFKA_VERSION into $LIB" >&2
    local project="$KAFKA_HOME_BASE/.fetch-$KAFKA_VERSION"
    rm -rf "$project" "$LIB"
    mkdir -p "$project"
    # copy-dependencies needs a project: a throw-away one that depends on the broker only.
    cat >"$project/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.logship.tools</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
    (cd "$project" && mvn -B -q "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime \
        -DoutputDirectory="$LIB.tmp") || die "could not download org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
    mv "$LIB.tmp" "$LIB"
    rm -rf "$project"
    touch "$LIB/.logship-complete"
  fi
  exec 9>&-
}

start() {
  local port=$1 workdir=$2 controller=${3:-$(($1 + 1))} timeout=${KAFKA_START_TIMEOUT:-60}
  [[ $port =~ ^[0-9]+$ && $controller =~ ^[0-9]+$ ]] || die "ports must be numbers: $port $controller"
  fetch
  port_in_use "$port" && die "127.0.0.1:$port is already in use"
  port_in_use "$controller" && die "127.0.0.1:$controller (controller) is already in use"
  mkdir -p "$workdir"
  workdir=$(cd "$workdir" && pwd)
  [[ -f "$workdir/kafka.pid" ]] && group_alive "$(cat "$workdir/kafka.pid")" \
    && die "a Kafka broker is already running from $workdir"

  # Settings for one node: every internal topic with one replica, no delay before the first rebalance.
  cat >"$workdir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$workdir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPS
  cat >"$workdir/log4j.properties" <<'LOG'
log4j.rootLogger=WARN, stdout
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
LOG

  local java=java heap=${KAFKA_HEAP:--Xms256m -Xmx512m}
  local -a jvm=($heap -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$workdir/log4j.properties" -cp "$LIB/*")
  if [[ ! -f "$workdir/data/meta.properties" ]]; then
    # A random 16-byte cluster id, base64url without padding, as `kafka-storage.sh random-uuid` makes.
    # Not one that starts with "-": StorageTool's argument parser would take it for an option (1 in 64).
    local cluster=-
    while [[ $cluster == -* ]]; do
      cluster=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    done
    "$java" "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster" -c "$workdir/server.properties" \
      >"$workdir/format.out" 2>&1 || { cat "$workdir/format.out" >&2; die "could not format $workdir/data"; }
  fi

  # setsid: the broker gets a process group of its own whose id is the pid we record, for `stop`.
  (cd "$workdir" && exec setsid "$java" "${jvm[@]}" kafka.Kafka "$workdir/server.properties" \
      </dev/null >>"$workdir/kafka.out" 2>&1) &
  local pid=$!
  echo "$pid" >"$workdir/kafka.pid"

  local started=$SECONDS
  echo "Starting Kafka $KAFKA_VERSION on 127.0.0.1:$port (pid $pid, workdir $workdir)" >&2
  while (( SECONDS - started < timeout )); do
    # the broker listener opens once the node has caught up with its metadata log
    if port_in_use "$port" && grep -q "Kafka Server started" "$workdir/kafka.out"; then
      echo "Kafka is up on 127.0.0.1:$port after $((SECONDS - started)) s" >&2
      return 0
    fi
    # until setsid has run, the process exists but its group does not yet
    if ! kill -0 "$pid" 2>/dev/null && ! group_alive "$pid"; then
      print_log_tail "$workdir/kafka.out"
      die "Kafka exited during startup"
    fi
    sleep 0.2
  done
  print_log_tail "$workdir/kafka.out"
  stop "$workdir" || true
  die "Kafka did not listen on 127.0.0.1:$port within $timeout s"
}

stop() { stop_group "$1/kafka.pid" kafka.Kafka Kafka; }

for tool in flock setsid pgrep; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install util-linux procps)"
done

[[ $# -ge 1 ]] || usage
command=$1
shift
case $command in
  fetch) [[ $# -eq 0 ]] || usage; fetch ;;
  start) [[ $# -eq 2 || $# -eq 3 ]] || usage; start "$@" ;;
  stop)  [[ $# -eq 1 ]] || usage; stop "$1" ;;
  *) usage ;;
esac
