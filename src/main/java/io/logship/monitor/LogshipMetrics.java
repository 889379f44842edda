package io.logship.monitor;

import java.util.Map;

import io.logship.fallback.Spool;
import io.logship.ship.LogstashConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * logship's own Prometheus meters, next to Camel's route metrics in the same registry (served at
 * {@code /observe/metrics}). Unlike {@link ForwarderStatistics} they never reset: Prometheus computes
 * rates from monotonic counters and treats a drop as a process restart.
 *
 * <p>No tenant label: every tenant would multiply every series, tenants are created by whoever holds a
 * token, and per-tenant counts are already in the upload status and in Elasticsearch ({@code tenant_id}).
 *
 * <p>Every series is registered up front, so it reads 0 instead of being absent until its first event.
 */
public class LogshipMetrics {

    public static final String LOGSTASH = "logstash";
    public static final String ELASTICSEARCH = "elasticsearch";
    public static final String OVERSIZED_LINE = "oversized_line";
    public static final String ELASTICSEARCH_REFUSED = "elasticsearch_refused";
    /** A sink confirmed it has the events: Logstash's http input (2xx), Elasticsearch (per item result). */
    public static final String ACKNOWLEDGED = "acknowledged";
    /** Only written to a socket (Logstash tcp, udp): nothing confirms they arrived. */
    public static final String WRITTEN = "written";

    private final Counter received;
    private final Counter spooled;
    private final Counter uploadBytes;
    private final Map<String, Counter> sent;
    private final Map<String, Counter> failed;
    private final Map<String, Counter> redeliveries;
    private final Map<String, Counter> batches;
    private final Map<String, DistributionSummary> batchSize;
    private final Map<String, Counter> rejected;

    private final MeterRegistry registry;
    private final String logstashDelivery;

    public LogshipMetrics(MeterRegistry registry, String logstashProtocol) {
        this.registry = registry;
        this.logstashDelivery = "http".equalsIgnoreCase(logstashProtocol) ? ACKNOWLEDGED : WRITTEN;
        received = Counter.builder("logship.events.received").description("Events read from accepted uploads")
                .register(registry);
        spooled = Counter.builder("logship.events.spooled").description("Events written to the local spool")
                .register(registry);
        uploadBytes = Counter.builder("logship.upload.bytes").description("Bytes of accepted uploads, as stored (after gunzip)")
                .register(registry);
        sent = Map.of(
                LOGSTASH, sentCounter(registry, LOGSTASH, logstashProtocol.toLowerCase(), logstashDelivery),
                ELASTICSEARCH, sentCounter(registry, ELASTICSEARCH, "bulk", ACKNOWLEDGED));
        failed = perSink(sink -> Counter.builder("logship.events.failed").tag("sink", sink)
                .description("Events a sink did not take after every redelivery (they go on to the next sink or the spool)")
                .register(registry));
        redeliveries = perSink(sink -> Counter.builder("logship.redeliveries").tag("sink", sink)
                .description("Redelivery attempts of a batch").register(registry));
        batches = perSink(sink -> Counter.builder("logship.batches").tag("sink", sink)
                .description("Batches delivered: TCP writes, UDP datagrams, Bulk requests").register(registry));
        batchSize = perSink(sink -> DistributionSummary.builder("logship.batch.size").baseUnit("events").tag("sink", sink)
                .description("Events per delivered batch").register(registry));
        rejected = Map.of(
                OVERSIZED_LINE, rejectedCounter(registry, OVERSIZED_LINE),
                ELASTICSEARCH_REFUSED, rejectedCounter(registry, ELASTICSEARCH_REFUSED));
    }

    /** Meters in a registry nobody scrapes: for beans built outside the application (unit tests, tools). */
    public static LogshipMetrics detached() {
        return new LogshipMetrics(new SimpleMeterRegistry(), "tcp");
    }

    /** Gauges read their value at scrape time from the spool and from the last Logstash check. */
    public LogshipMetrics gauges(Spool spool, LogstashConnection logstash) {
        Gauge.builder("logship.spool.batches", spool, Spool::batches).description("Batches waiting in the spool")
                .register(registry);
        Gauge.builder("logship.spool.bytes", spool, Spool::bytes).description("Bytes waiting in the spool")
                .register(registry);
        Gauge.builder("logship.spool.oldest.age", spool, Spool::oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest spooled batch, 0 when the spool is empty").register(registry);
        if (logstash.enabled()) {
            // the last check's outcome (health probe, monitor or the periodic logstash-probe route): scraping never connects
            Gauge.builder("logship.logstash.up", logstash, l -> l.connected() ? 1 : 0)
                    .description("1 when the last connection check to Logstash succeeded").register(registry);
            for (LogstashConnection.Host host : logstash.hosts()) {
                Gauge.builder("logship.logstash.host.up", host, h -> h.usable() ? 1 : 0).tag("host", host.address())
                        .description("1 when a Logstash host answered the last check and is not skipped (circuit open)")
                        .register(registry);
            }
        }
        return this;
    }

    private static Counter sentCounter(MeterRegistry registry, String sink, String protocol, String delivery) {
        return Counter.builder("logship.events.sent").tag("sink", sink).tag("protocol", protocol).tag("delivery", delivery)
                .description("Events delivered to a sink: acknowledged by it, or only written to a socket").register(registry);
    }

    /** {@link #ACKNOWLEDGED} when Logstash confirms what it takes (http), else {@link #WRITTEN} (tcp, udp). */
    public String logstashDelivery() {
        return logstashDelivery;
    }

    private static Counter rejectedCounter(MeterRegistry registry, String reason) {
        return Counter.builder("logship.events.rejected").tag("reason", reason)
                .description("Events refused for good (kept in the upload status or the dead letters)").register(registry);
    }

    private static <T> Map<String, T> perSink(java.util.function.Function<String, T> meter) {
        return Map.of(LOGSTASH, meter.apply(LOGSTASH), ELASTICSEARCH, meter.apply(ELASTICSEARCH));
    }

    public void received(int events) {
        received.increment(events);
    }

    /** One batch of {@code events} reached {@code sink}. */
    public void sent(String sink, int events) {
        sent(sink, events, 0);
    }

    /** {@code events} reached {@code sink} in batches of {@code wireBatch} (0: one batch). */
    public void sent(String sink, int events, int wireBatch) {
        sent.get(sink).increment(events);
        int size = wireBatch <= 0 ? Math.max(events, 1) : wireBatch;
        int left = events;
        do {
            batches.get(sink).increment();
            batchSize.get(sink).record(Math.min(size, left));
            left -= size;
        } while (left > 0);
    }

    public void failed(String sink, int events) {
        failed.get(sink).increment(events);
    }

    public void redelivered(String sink) {
        redeliveries.get(sink).increment();
    }

    public void rejected(String reason, int events) {
        rejected.get(reason).increment(events);
    }

    public void spooled(int events) {
        spooled.increment(events);
    }

    public void uploaded(long bytes) {
        uploadBytes.increment(bytes);
    }
}
