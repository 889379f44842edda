package io.logship.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.logship.event.EventBatch;
import org.apache.camel.Exchange;

/**
 * What the monitor API reports about forwarding. Counted in events; updated by the routes as batches are
 * written or given up on. Reset by {@code DELETE} on the monitor (Prometheus counters are separate and
 * never reset).
 */
public class ForwarderStatistics {

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong batchesFailed = new AtomicLong();
    private final AtomicLong sentElasticsearch = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();
    private final AtomicReference<Instant> lastSentAt = new AtomicReference<>();
    private volatile Instant since = Instant.now();

    public void sent(EventBatch batch) {
        sent.addAndGet(batch.count());
        batchesSent.incrementAndGet();
        lastSentAt.set(Instant.now());
    }

    /** Logstash did not take the batch after every redelivery. */
    public void failed(EventBatch batch, Exchange exchange) {
        failed.addAndGet(batch.count());
        batchesFailed.incrementAndGet();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        error(cause == null ? "not delivered to Logstash" : describe(cause));
    }

    public void error(String message) {
        lastError.set(message);
        lastErrorAt.set(Instant.now());
    }

    public void redelivered() {
        redeliveries.incrementAndGet();
    }

    public void sentElasticsearch(int events) {
        sentElasticsearch.addAndGet(events);
    }

    public void spooled(int events) {
        spooled.addAndGet(events);
    }

    public void rejected(int events) {
        rejected.addAndGet(events);
    }

    public String lastError() {
        return lastError.get();
    }

    public void reset() {
        sent.set(0);
        failed.set(0);
        batchesSent.set(0);
        batchesFailed.set(0);
        sentElasticsearch.set(0);
        spooled.set(0);
        rejected.set(0);
        redeliveries.set(0);
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

    public Map<String, Object> view() {
        long s = sent.get();
        long f = failed.get();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("total_sent", s);
        view.put("total_failed", f);
        view.put("success_rate", successRate(s, f));
        view.put("batches_sent", batchesSent.get());
        view.put("batches_failed", batchesFailed.get());
        view.put("sent_elasticsearch", sentElasticsearch.get());
        view.put("spooled", spooled.get());
        view.put("rejected", rejected.get());
        view.put("redeliveries", redeliveries.get());
        view.put("last_error", lastError.get());
        view.put("last_error_at", string(lastErrorAt.get()));
        view.put("last_sent_at", string(lastSentAt.get()));
        view.put("since", since.toString());
        return view;
    }

    public long totalSent() {
        return sent.get();
    }

    public long totalFailed() {
        return failed.get();
    }

    static String describe(Throwable cause) {
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
