#!/usr/bin/env bash
# logship's benchmark, end to end, in one command (see docs/BENCHMARKS.md):
#
#   bash bench/run.sh [--quick] [--install-syslog-ng] [--no-es] [--no-jmh] [--write-docs]
#
#   --quick              fewer events everywhere: a smoke run of every scenario in a few minutes
#   --install-syslog-ng  apt-get install syslog-ng-core when it is missing (otherwise that part is skipped)
#   --no-es              skip the Elasticsearch part (it downloads a ~100 MB distribution once)
#   --no-jmh             skip the JMH microbenchmarks
#   --write-docs         put the figures and the chart of this run into docs/BENCHMARKS.md
#
# Input: the real events of ../shared/data (LOGSHIP_DATA overrides), repeated into target/bench/data.
# Output: target/bench/ (results.tsv, results.md, profile.txt, jmh.txt, batch-throughput.png, logs).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=false INSTALL_SYSLOG_NG=false ES=true JMH=true WRITE_DOCS=false
for arg in "$@"; do
  case $arg in
    --quick) QUICK=true ;;
    --install-syslog-ng) INSTALL_SYSLOG_NG=true ;;
    --no-es) ES=false ;;
    --no-jmh) JMH=false ;;
    --write-docs) WRITE_DOCS=true ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

DATA=${LOGSHIP_DATA:-$ROOT/../shared/data}
[[ -f $DATA/loghub.ndjson ]] || { echo "run.sh: no $DATA/loghub.ndjson (set LOGSHIP_DATA)" >&2; exit 1; }
DATA=$(cd "$DATA" && pwd)

if $QUICK; then
  EVENTS=100000 SWEEP_EVENTS=20000 BIG_BYTES=$((64 << 20)) ES_EVENTS=20000 LATENCY=50 LATENCY_WARMUP=200 WARMUP_ROUNDS=1 RUNS=1
  JMH_OPTS=(-f 1 -wi 2 -i 2 -w 1s -r 1s)
else
  EVENTS=1000000 SWEEP_EVENTS=200000 BIG_BYTES=$((1 << 30)) ES_EVENTS=200000 LATENCY=500 LATENCY_WARMUP=2000 WARMUP_ROUNDS=6 RUNS=3
  JMH_OPTS=(-f 1 -wi 5 -i 5 -w 2s -r 2s)
fi
ES_VERSION=9.2.4

OUT=$ROOT/target/bench
IN=$OUT/data
WORK=$OUT/run
RESULTS=$OUT/results.tsv
mkdir -p "$OUT" "$IN"
rm -rf "$WORK"
[[ -f $RESULTS ]] && mv "$RESULTS" "$OUT/results.prev.tsv"
: >"$RESULTS"

log() { echo "== $(date +%T) $*" >&2; }

log "building logship and the bench tools"
mvn -B -q package -DskipTests
rm -rf "$OUT/classes"
javac -d "$OUT/classes" bench/src/*.java
bench() { java -cp "$OUT/classes" Bench "$@"; }

# One scenario, tried twice (on a shared machine a process of ours may be stopped by someone else's
# clean-up); a second failure is recorded and the run goes on with the next scenario.
scenario() {
  local name=$1 attempt
  shift
  for attempt in 1 2; do
    log "$name$([[ $attempt == 2 ]] && echo " (second try)")"
    if bench "$@" --name "$name" --work "$WORK" --results "$RESULTS" 2>"$OUT/$name.err"; then
      return 0
    fi
    echo "   $name failed: $(grep -v '^\s*at ' "$OUT/$name.err" | head -3)" >&2
  done
  printf 'name=%s\tstatus=failed\n' "$name" >>"$RESULTS"
}

{
  echo "date:   $(date -u +%FT%TZ)   commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')   mode: $($QUICK && echo quick || echo full)"
  echo "cpu:    $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  java -version 2>&1 | sed 's/^/java:   /'
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

log "inputs: $EVENTS events from $DATA"
bench gen --data "$DATA" --out "$IN" --events "$EVENTS" --big-bytes "$BIG_BYTES"
head -n "$SWEEP_EVENTS" "$IN/events.ndjson" >"$IN/sweep.ndjson"
head -n "$ES_EVENTS" "$IN/events.ndjson" >"$IN/es.ndjson"
RAW_BYTES=$(stat -c %s "$IN/events.ndjson")

scenario baseline baseline --file "$IN/events.ndjson" --events "$EVENTS"
# a running gateway is warm: the same file uploaded WARMUP_ROUNDS times before the measured uploads, since the JIT
# compiler works through the first several uploads of a million events (docs/BENCHMARKS.md, "a warm gateway");
# each warm-up's rate is in the notes.
W=(--warmup-events "$EVENTS" --warmup-rounds "$WARMUP_ROUNDS")
# the contenders of the comparison are each measured RUNS times in a row, and the median run counts (runs vary by 10 %)
R=(--runs "$RUNS")
scenario tcp logship --file "$IN/events.ndjson" --events "$EVENTS" "${W[@]}" "${R[@]}"
scenario gzip logship --file "$IN/events.ndjson.gz" --gzip --raw-bytes "$RAW_BYTES" --events "$EVENTS" \
  "${W[@]}" "${R[@]}" --warmup-file "$IN/events.ndjson"
# text.log holds eight formats one after the other: no multiline joining, so that every line stays an event.
# text: time, level and fields read (the layout of the first lines); text-plain: format=plain, lines only wrapped
scenario text logship --file "$IN/text.log" --content-type text/plain --query "&multiline=off" --events "$EVENTS" \
  "${W[@]}" "${R[@]}"
scenario text-plain logship --file "$IN/text.log" --content-type text/plain --query "&format=plain&multiline=off" \
  --events "$EVENTS" "${W[@]}" "${R[@]}"
scenario udp logship --file "$IN/events.ndjson" --protocol udp --events "$EVENTS" "${W[@]}" "${R[@]}"
scenario http logship --file "$IN/events.ndjson" --protocol http --events "$EVENTS" "${W[@]}" "${R[@]}"
# a running gateway is warm: single-event uploads first until the JIT has compiled their path
# the Kafka output, to a local KRaft broker from the Maven Central jars (scripts/kafka.sh; fetched once)
KAFKA_WORK=$OUT/kafka
rm -rf "$KAFKA_WORK"
KAFKA_PORT=$(bench free-port)
trap 'bash scripts/kafka.sh stop "$KAFKA_WORK" >/dev/null 2>&1 || true' EXIT
if bash scripts/kafka.sh start "$KAFKA_PORT" "$KAFKA_WORK" "$(bench free-port)" >"$OUT/kafka-start.log" 2>&1; then
  scenario kafka logship --file "$IN/events.ndjson" --protocol kafka --env "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT" \
    --events "$EVENTS" "${W[@]}" "${R[@]}"
else
  echo "   Kafka did not start; see $OUT/kafka-start.log" >&2
fi
bash scripts/kafka.sh stop "$KAFKA_WORK" >/dev/null 2>&1 || true
trap - EXIT
scenario latency latency --file "$IN/events.ndjson" --count "$LATENCY" --warmup "$LATENCY_WARMUP"

if ! command -v syslog-ng >/dev/null && $INSTALL_SYSLOG_NG; then
  log "installing syslog-ng-core"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq syslog-ng-core; } >"$OUT/apt.log" 2>&1 \
    || echo "   could not install syslog-ng-core; see $OUT/apt.log" >&2
fi
if command -v syslog-ng >/dev/null; then
  scenario syslog-ng syslog-ng --mode plain --file "$IN/events.ndjson" --events "$EVENTS" "${R[@]}"
  scenario syslog-ng-json syslog-ng --mode json --file "$IN/events.ndjson" --events "$EVENTS"
else
  log "syslog-ng is not installed: skipped (bash bench/run.sh --install-syslog-ng to include it)"
fi
# rsyslog conflicts with syslog-ng-core as a package: it is unpacked under target/bench, never installed
RSYSLOG=$OUT/rsyslog
if [[ ! -x $RSYSLOG/usr/sbin/rsyslogd ]] && command -v apt-get >/dev/null; then
  log "fetching rsyslog (apt-get download, dpkg -x)"
  mkdir -p "$RSYSLOG/debs"
  { (cd "$RSYSLOG/debs" && apt-get download rsyslog libestr0 libfastjson4) \
      && for deb in "$RSYSLOG"/debs/*.deb; do dpkg -x "$deb" "$RSYSLOG"; done; } >"$OUT/rsyslog-fetch.log" 2>&1 \
    || echo "   could not fetch rsyslog; see $OUT/rsyslog-fetch.log" >&2
fi
if [[ -x $RSYSLOG/usr/sbin/rsyslogd ]]; then
  scenario rsyslog rsyslog --root "$RSYSLOG" --mode plain --file "$IN/events.ndjson" --events "$EVENTS" "${R[@]}"
  scenario rsyslog-json rsyslog --root "$RSYSLOG" --mode json --file "$IN/events.ndjson" --events "$EVENTS"
else
  log "rsyslog could not be fetched: skipped"
fi

for batch in 10 100 500 1000 5000; do
  scenario "batch-$batch" logship --file "$IN/sweep.ndjson" --batch "$batch" --events "$SWEEP_EVENTS" "${W[@]}"
done

BIG_EVENTS=$(wc -l <"$IN/big.ndjson")
# the heap committed and touched at the start (-Xms, AlwaysPreTouch): -Xmx caps it anyway, and G1 otherwise commits it
# bit by bit, so the resident set grew 2-17 % from a quarter of the events to the end whatever logship did; touched
# at the start, any growth is memory outside the heap (docs/BENCHMARKS.md, "What is measured")
scenario big logship --file "$IN/big.ndjson" --events "$BIG_EVENTS" --jvm "-Xms256m -Xmx256m -XX:+AlwaysPreTouch" "${W[@]}"

if $ES; then
  ES_WORK=$(mktemp -d /tmp/logship-bench-es.XXXXXX)   # outside /root and /work: the ES user must reach it
  chmod 755 "$ES_WORK"
  ES_PORT=$(bench free-port)
  trap 'bash scripts/elasticsearch.sh stop "$ES_WORK/es" >/dev/null 2>&1 || true; rm -rf "$ES_WORK"' EXIT
  log "Elasticsearch $ES_VERSION on port $ES_PORT"
  if bash scripts/elasticsearch.sh start "$ES_VERSION" "$ES_PORT" "$ES_WORK/es" >"$OUT/es-start.log" 2>&1; then
    # curl first: it deletes its indices when done, so that logship writes into empty ones as well
    scenario es-bulk es-bulk --es "http://127.0.0.1:$ES_PORT" --file "$IN/es.ndjson" --events "$ES_EVENTS"
    scenario es es --es "http://127.0.0.1:$ES_PORT" --file "$IN/es.ndjson" --probe "$IN/probe.ndjson" --events "$ES_EVENTS"
    bash scripts/elasticsearch.sh stop "$ES_WORK/es" >/dev/null 2>&1 || true
  else
    echo "   Elasticsearch did not start; see $OUT/es-start.log" >&2
  fi
fi

# The same TCP run again under JFR, so that the headline figure is not measured with a recorder attached.
scenario profile logship --file "$IN/events.ndjson" --events "$EVENTS" --jfr "$OUT/profile.jfr" "${W[@]}"
if [[ -f $OUT/profile.jfr ]]; then
  bench jfr-top "$OUT/profile.jfr" 25 >"$OUT/profile.txt"
  jfr summary "$OUT/profile.jfr" >"$OUT/profile-summary.txt" 2>&1 || true
fi

if $JMH; then
  log "JMH: EventEncoder.encode and UploadReader"
  mvn -B -q -f bench/jmh/pom.xml package -Djmh.lib="$OUT/jmh-lib"
  rm -rf "$OUT/jmh-classes"
  javac -d "$OUT/jmh-classes" -cp "target/logship.jar:target/lib/*:$OUT/jmh-lib/*" \
    -processorpath "$(ls "$OUT"/jmh-lib/*.jar | tr '\n' ':')" $(find bench/jmh/src -name '*.java')
  LOGSHIP_BENCH_DATA=$DATA java -cp "$OUT/jmh-classes:target/logship.jar:target/lib/*:$OUT/jmh-lib/*" \
    org.openjdk.jmh.Main "${JMH_OPTS[@]}" -rf text -rff "$OUT/jmh.txt" >"$OUT/jmh.log" 2>&1 \
    || echo "   JMH failed; see $OUT/jmh.log" >&2
fi

log "report"
bench report "$RESULTS" "$OUT/machine.txt" "$OUT/results.md"
bench chart "$RESULTS" "$OUT/batch-throughput.png" || echo "   no chart (see above)" >&2
[[ -f $OUT/jmh.txt ]] && cat "$OUT/jmh.txt"
[[ -f $OUT/profile.txt ]] && sed -n '1,/^## CPU self/p' "$OUT/profile.txt" | head -30

if $WRITE_DOCS; then
  bench write-docs "$OUT" docs/BENCHMARKS.md
  cp "$OUT/batch-throughput.png" docs/bench-batch-throughput.png 2>/dev/null || true
  log "docs/BENCHMARKS.md updated"
fi
log "done: $OUT/results.md"
