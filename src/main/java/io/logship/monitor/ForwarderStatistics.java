package io.logship.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.logship.event.EventBatch;
import org.apache.camel.Exchange;

/**
 * What the monitor API reports about forwarding. Counted in events; updated by the routes as batches are
 * written or given up on. Reset by {@code DELETE} on the monitor or the JMX operation. Each fact is also
 * passed on to the Prometheus meters of {@link LogshipMetrics}, which never reset.
 */
public class ForwarderStatistics implements ForwarderStatisticsMBean {

    public static final String OBJECT_NAME = "io.logship:type=ForwarderStatistics";

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong batchesFailed = new AtomicLong();
    private final AtomicLong sentElasticsearch = new AtomicLong();
    private final AtomicLong failedElasticsearch = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    // host:port -> {frames, events} written to that Logstash host (LOGSTASH_HOSTS)
    private final Map<String, AtomicLong[]> perHost = new ConcurrentHashMap<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();
    private final AtomicReference<Instant> lastSentAt = new AtomicReference<>();
    private volatile Instant since = Instant.now();
    private final LogshipMetrics metrics;
    /** events per wire batch where one delivery carries several (TCP, UDP); 0: a delivery is one wire batch */
    private final int wireBatch;

    public ForwarderStatistics(LogshipMetrics metrics, int wireBatch) {
        this.metrics = metrics;
        this.wireBatch = wireBatch;
    }

    public ForwarderStatistics(LogshipMetrics metrics) {
        this(metrics, 0);
    }

    public ForwarderStatistics() {
        this(LogshipMetrics.detached());
    }

    private int wireBatches(int events) {
        return wireBatch <= 0 ? 1 : Math.max(1, (events + wireBatch - 1) / wireBatch);
    }

    /** A batch reached Logstash: acknowledged by its http input, or only written to a tcp or udp socket. */
    public void sent(EventBatch batch) {
        sent.addAndGet(batch.count());
        (LogshipMetrics.ACKNOWLEDGED.equals(metrics.logstashDelivery()) ? acknowledged : written).addAndGet(batch.count());
        batchesSent.addAndGet(wireBatches(batch.count()));
        lastSentAt.set(Instant.now());
        metrics.sent(LogshipMetrics.LOGSTASH, batch.count(), wireBatch);
    }

    /** A frame was handed to one Logstash host (uploads, spool replay and the monitor's test message alike). */
    public void sentTo(String host, EventBatch frame) {
        AtomicLong[] counts = perHost.computeIfAbsent(host, h -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        counts[0].addAndGet(wireBatches(frame.count()));
        counts[1].addAndGet(frame.count());
    }

    /** Frames and events written to each Logstash host since the last reset. */
    @Override
    public Map<String, Map<String, Long>> getHosts() {
        Map<String, Map<String, Long>> view = new java.util.TreeMap<>();
        perHost.forEach((host, counts) -> view.put(host, Map.of("batches_sent", counts[0].get(), "events_sent", counts[1].get())));
        return view;
    }

    /** Logstash did not take the batch after every redelivery. */
    public void failed(EventBatch batch, Exchange exchange) {
        failed.addAndGet(batch.count());
        batchesFailed.addAndGet(wireBatches(batch.count()));
        metrics.failed(LogshipMetrics.LOGSTASH, batch.count());
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        error(cause == null ? "not delivered to Logstash" : describe(cause));
    }

    /** Elasticsearch did not take (part of) the batch after every redelivery: it goes to the spool. */
    public void failedElasticsearch(EventBatch batch, Exchange exchange) {
        failedElasticsearch.addAndGet(batch.count());
        metrics.failed(LogshipMetrics.ELASTICSEARCH, batch.count());
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        error("Elasticsearch: " + (cause == null ? "not delivered" : describe(cause)));
    }

    public void error(String message) {
        lastError.set(message);
        lastErrorAt.set(Instant.now());
    }

    /** A redelivery to Logstash (the monitor's {@code redeliveries}). */
    public void redelivered() {
        redeliveries.incrementAndGet();
        metrics.redelivered(LogshipMetrics.LOGSTASH);
    }

    /** Elasticsearch redeliveries are only counted in Prometheus: the monitor reports on Logstash. */
    public void redeliveredElasticsearch() {
        metrics.redelivered(LogshipMetrics.ELASTICSEARCH);
    }

    /** A Bulk request indexed {@code events} documents. */
    public void sentElasticsearch(int events) {
        sentElasticsearch.addAndGet(events);
        if (events > 0) {
            metrics.sent(LogshipMetrics.ELASTICSEARCH, events);
        }
    }

    public void spooled(int events) {
        spooled.addAndGet(events);
        metrics.spooled(events);
    }

    /** Refused for good by a sink, for {@code reason} (a {@link LogshipMetrics} reason). */
    public void rejected(String reason, int events) {
        rejected.addAndGet(events);
        metrics.rejected(reason, events);
    }

    @Override
    public void reset() {
        sent.set(0);
        acknowledged.set(0);
        written.set(0);
        failed.set(0);
        batchesSent.set(0);
        batchesFailed.set(0);
        sentElasticsearch.set(0);
        failedElasticsearch.set(0);
        spooled.set(0);
        rejected.set(0);
        redeliveries.set(0);
        perHost.clear();
        lastError.set(null);
        lastErrorAt.set(null);
        lastSentAt.set(null);
        since = Instant.now();
    }

    /** sent / (sent + failed), 4 places; 1.0 before anything was attempted. */
    public static double successRate(long sent, long failed) {
        long attempted = sent + failed;
        if (attempted == 0) {
            return 1.0;
        }
        return Math.round(sent * 10_000.0 / attempted) / 10_000.0;
    }

    /** The monitor API's {@code statistics}; built from the MBean getters so JMX and HTTP show the same numbers. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("total_sent", getTotalSent());
        view.put("total_acknowledged", getTotalAcknowledged());
        view.put("total_written", getTotalWritten());
        view.put("delivery", getDelivery());
        view.put("total_failed", getTotalFailed());
        view.put("success_rate", getSuccessRate());
        view.put("batches_sent", getBatchesSent());
        view.put("batches_failed", getBatchesFailed());
        view.put("sent_elasticsearch", getSentElasticsearch());
        view.put("failed_elasticsearch", getFailedElasticsearch());
        view.put("spooled", getSpooled());
        view.put("rejected", getRejected());
        view.put("redeliveries", getRedeliveries());
        view.put("hosts", getHosts());
        view.put("last_error", getLastError());
        view.put("last_error_at", getLastErrorAt());
        view.put("last_sent_at", getLastSentAt());
        view.put("since", getSince());
        return view;
    }

    @Override
    public long getTotalSent() {
        return sent.get();
    }

    @Override
    public long getTotalAcknowledged() {
        return acknowledged.get();
    }

    @Override
    public long getTotalWritten() {
        return written.get();
    }

    @Override
    public String getDelivery() {
        return metrics.logstashDelivery();
    }

    @Override
    public long getTotalFailed() {
        return failed.get();
    }

    @Override
    public double getSuccessRate() {
        return successRate(sent.get(), failed.get());
    }

    @Override
    public long getBatchesSent() {
        return batchesSent.get();
    }

    @Override
    public long getBatchesFailed() {
        return batchesFailed.get();
    }

    @Override
    public long getSentElasticsearch() {
        return sentElasticsearch.get();
    }

    @Override
    public long getFailedElasticsearch() {
        return failedElasticsearch.get();
    }

    @Override
    public long getSpooled() {
        return spooled.get();
    }

    @Override
    public long getRejected() {
        return rejected.get();
    }

    @Override
    public long getRedeliveries() {
        return redeliveries.get();
    }

    @Override
    public String getLastError() {
        return lastError.get();
    }

    @Override
    public String getLastErrorAt() {
        return string(lastErrorAt.get());
    }

    @Override
    public String getLastSentAt() {
        return string(lastSentAt.get());
    }

    @Override
    public String getSince() {
        return since.toString();
    }

    public static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == cause ? message : cause.getClass().getSimpleName() + ": " + message;
    }

    private static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
