package io.logship.fallback;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import io.logship.testing.LogstashListener;
import io.logship.testing.UploadCounts;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPOOL_MAX_BYTES is a hard bound: with Logstash down, an accepted upload fills the spool up to it and then waits
 * at its checkpoint; new uploads get 503 with Retry-After. When Logstash is back, the spool drains, the upload
 * continues, and every event arrives once. The counts add up at every read on the way (wait, retry, replay).
 */
class SpoolFullTest {

    private static final int EVENTS = 2000;
    private static final long MAX_BYTES = 60_000;

    @Test
    void theSpoolStaysWithinItsBoundAndTheAcceptedUploadWaitsThenCompletes() throws Exception {
        int port = LogstashListener.downPort();
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(port), "logstash.max.retries", "0",
                "spool.max.bytes", String.valueOf(MAX_BYTES), "logstash.batch.size", "100",
                // a spool this small holds a few upload batches only when they are this small (see RELIABILITY.md)
                "upload.batch.size", "100",
                "upload.retry.interval", "0.5", "spool.replay.interval", "0.3")) {
            String token = app.token("acme");
            HttpResponse<String> accepted = app.upload(token, "application/x-ndjson", utf8(events()), null);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String status = "/api/v1/logs/uploads/" + LogshipApp.json(accepted).get("upload_id").asText();
            AtomicLong largestSpool = new AtomicLong();

            // the upload fills the spool to its bound, then waits
            LogshipApp.await(Duration.ofSeconds(60), () -> {
                JsonNode now = read(app, status, token, largestSpool);
                return app.bean("spool", Spool.class).isFull() && now.get("spooled").asInt() > 0;
            });
            for (int i = 0; i < 20; i++) {     // and stays waiting, within the bound, while Logstash is down
                JsonNode now = read(app, status, token, largestSpool);
                assertTrue(now.get("received").asInt() < EVENTS, now.toString());
                Thread.sleep(100);
            }
            assertTrue(largestSpool.get() <= MAX_BYTES, "spool " + largestSpool.get() + " bytes, bound " + MAX_BYTES);
            assertTrue(largestSpool.get() > MAX_BYTES / 2, "the spool was used up to near its bound: " + largestSpool.get());

            HttpResponse<String> refused = app.upload(token, "text/plain", utf8("one more\n"), null);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("spool_full", LogshipApp.json(refused).get("error").asText());

            try (LogstashListener logstash = LogstashListener.tcp(port)) {
                LogshipApp.await(Duration.ofSeconds(120), () ->
                        "completed".equals(read(app, status, token, largestSpool).get("status").asText()));
                JsonNode done = read(app, status, token, largestSpool);
                assertEquals(EVENTS, done.get("received").asInt(), done.toString());
                assertEquals(EVENTS, done.get("sent_logstash").asInt(), done.toString());
                assertEquals(0, done.get("spooled").asInt(), done.toString());
                List<JsonNode> events = logstash.awaitEvents(EVENTS, Duration.ofSeconds(30));
                Set<Integer> seqs = new HashSet<>();
                events.forEach(e -> seqs.add(e.get("seq").asInt()));
                assertEquals(EVENTS, seqs.size(), "every event arrived");
                assertEquals(EVENTS, events.size(), "and once");
            }
            assertTrue(largestSpool.get() <= MAX_BYTES, "spool " + largestSpool.get() + " bytes, bound " + MAX_BYTES);
        }
    }

    /**
     * A spool smaller than one upload batch (RELIABILITY.md): over http each frame of LOGSTASH_BATCH_SIZE events is
     * spooled on its own, the batch of UPLOAD_BATCH_SIZE never fits whole, so its frames are taken out again: nothing
     * of the upload stays spooled, it tries its batch again until Logstash is back, then every event arrives and is
     * counted once. Frames Logstash acknowledged in a try that then failed (its circuit still open for the next
     * frame, the spool full) are not sent again: every event arrives once.
     */
    @Test
    void anUploadBatchLargerThanTheSpoolWaitsUnspooledUntilLogstashIsBack() throws Exception {
        int port = LogstashListener.downPort();
        try (LogshipApp app = LogshipApp.start("logstash.protocol", "http", "logstash.port", String.valueOf(port),
                "logstash.max.retries", "0", "spool.max.bytes", String.valueOf(MAX_BYTES), "logstash.batch.size", "100",
                "upload.batch.size", "1000", "upload.retry.interval", "0.5", "spool.replay.interval", "0.3")) {
            String token = app.token("acme");
            HttpResponse<String> accepted = app.upload(token, "application/x-ndjson", utf8(events()), null);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String status = "/api/v1/logs/uploads/" + LogshipApp.json(accepted).get("upload_id").asText();
            AtomicLong largestSpool = new AtomicLong();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {     // several tries of its first batch, each refused by the spool
                JsonNode now = read(app, status, token, largestSpool);
                assertEquals(0, now.get("received").asInt(), "no batch got past its checkpoint: " + now);
                assertEquals(0, now.get("spooled").asInt(), now.toString());
                Thread.sleep(100);
            }
            assertTrue(largestSpool.get() <= MAX_BYTES, "spool " + largestSpool.get() + " bytes, bound " + MAX_BYTES);
            assertTrue(app.bean("spool", Spool.class).bytes() <= MAX_BYTES);

            try (LogstashHttpInput logstash = LogstashHttpInput.start(port, new LogstashHttpInput.Options())) {
                LogshipApp.await(Duration.ofSeconds(120), () ->
                        "completed".equals(read(app, status, token, largestSpool).get("status").asText()));
                JsonNode done = read(app, status, token, largestSpool);
                assertEquals(EVENTS, done.get("received").asInt(), done.toString());
                assertEquals(EVENTS, done.get("sent_logstash").asInt(), done.toString());
                logstash.awaitEvents(EVENTS, Duration.ofSeconds(30));
                Set<Integer> seqs = new HashSet<>();
                LogstashHttpInput.recorded(logstash.file(), new AtomicInteger()).forEach(e -> seqs.add(e.get("seq").asInt()));
                assertEquals(EVENTS, seqs.size(), "every event arrived");
                assertEquals(EVENTS, logstash.eventCount(), "and once");
            }
        }
    }

    /** EVENTS NDJSON lines of about 200 bytes as documents, numbered by seq. */
    private static String events() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= EVENTS; i++) {
            body.append("{\"seq\":").append(i).append(",\"message\":\"").append("x".repeat(150)).append("\"}\n");
        }
        return body.toString();
    }

    /** The status, checked: received = sent + spooled + rejected at every read; the spool's size on disk noted. */
    static JsonNode read(LogshipApp app, String path, String token, AtomicLong largestSpool) {
        try {
            largestSpool.accumulateAndGet(spoolBytes(app.dataDir().resolve("spool")), Math::max);
            JsonNode status = LogshipApp.json(app.get(path, token));
            UploadCounts.assertBalanced(status);
            return status;
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long spoolBytes(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".ndjson")).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
