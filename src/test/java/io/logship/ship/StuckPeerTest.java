package io.logship.ship;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that stop reading, reset the connection mid-batch, or read slowly, each a real TCP listener. A write that
 * makes no progress for LOGSTASH_TIMEOUT fails and drops the connection; a slow peer that keeps reading does not.
 */
class StuckPeerTest {

    /** About 400 bytes an event on the wire. */
    static byte[] ndjson(int lines) {
        StringBuilder body = new StringBuilder();
        String padding = "x".repeat(200);
        for (int i = 1; i <= lines; i++) {
            body.append("{\"message\":\"event ").append(i).append(' ').append(padding).append("\"}\n");
        }
        return Events.utf8(body.toString());
    }

    static LogshipApp start(LogstashListener logstash, String... settings) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("logstash.port", String.valueOf(logstash.port()),
                "logstash.host", "127.0.0.1", "logstash.timeout", "1"));
        for (int i = 0; i < settings.length; i += 2) {
            all.put(settings[i], settings[i + 1]);
        }
        return LogshipApp.start(all);
    }

    static JsonNode monitor(LogshipApp app) throws Exception {
        HttpResponse<String> response = app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"));
        assertEquals(200, response.statusCode(), response.body());
        return LogshipApp.json(response);
    }

    /**
     * The case: a Logstash that accepts and never reads froze a 20,000-line upload for minutes. Now the
     * first write that cannot progress fails after LOGSTASH_TIMEOUT (1 s here), the host's circuit opens, and the
     * rest of the upload goes to the fallback path (the spool) at once. Bound: 30 s on a loaded 2-core machine
     * (about 3 s here); without the circuit it would be a timeout per batch, and before it, forever.
     */
    @Test
    void peerThatNeverReadsIsDetectedAndTheUploadEndsInTheFallbackPath() throws Exception {
        try (LogstashListener stuck = LogstashListener.neverReading();
             LogshipApp app = start(stuck, "logstash.max.retries", "2", "logstash.retry.delay", "0.1",
                     "logstash.circuit.wait", "600", "logstash.check.interval", "600")) {
            long started = System.nanoTime();
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", ndjson(20_000), null);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            assertTrue(seconds < 30, "the upload took " + seconds + " s");
            assertEquals("completed", result.get("status").asText(), result.toString());
            assertEquals(20_000, result.get("received").asInt());
            int written = result.get("sent_logstash").asInt();
            int spooled = result.get("spooled").asInt();
            assertEquals(20_000, written + spooled, "every event is written or spooled: " + result);
            // only what the socket buffers took before the stall was written: about 128 KB on logship's side, 8 KB on
            // the listener's, under 1,000 events of 226 bytes; the rest is in the spool
            assertTrue(written < 2_000, result.toString());

            JsonNode report = monitor(app);
            JsonNode host = report.get("health").get("hosts").get(0);
            assertEquals("open", host.get("circuit").asText(), host.toString());
            assertEquals("unhealthy", report.get("health").get("status").asText());
            assertTrue(host.get("last_error").asText().contains("took no data"), host.toString());
            assertTrue(host.get("reachable").asBoolean(), "it accepts connections, yet takes no data");

            HttpResponse<String> health = app.get("/observe/health", null);
            assertTrue(health.body().contains("circuit open"), health.body());
        }
    }

    /**
     * Logstash resets the connection after reading part of a 2,000-event batch (crashing mid-batch): the write
     * fails, the batch is redelivered on a new connection, and every event arrives; the only duplicates are events
     * of that first batch that Logstash had read before the reset.
     */
    @Test
    void peerThatResetsMidBatchGetsTheBatchAgain() throws Exception {
        try (LogstashListener resetting = LogstashListener.tcpWithSmallBuffer(8192).resetFirstConnectionAfter(100_000);
             LogshipApp app = start(resetting, "logstash.batch.size", "2000")) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", ndjson(6_000), null);
            String uploadId = result.get("upload_id").asText();
            assertEquals(6_000, result.get("sent_logstash").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt(), result.toString());

            LogshipApp.await(java.time.Duration.ofSeconds(30),
                    () -> Events.matching(resetting, uploadId).stream().map(e -> e.get("event_id").asText())
                            .collect(Collectors.toSet()).size() >= 6_000);
            List<JsonNode> events = Events.matching(resetting, uploadId);
            Set<String> ids = events.stream().map(e -> e.get("event_id").asText()).collect(Collectors.toSet());
            assertEquals(6_000, ids.size(), "every event arrived");
            Map<String, Long> times = events.stream().collect(Collectors.groupingBy(e -> e.get("event_id").asText(), Collectors.counting()));
            times.forEach((id, count) -> {
                if (count > 1) {
                    assertTrue(Events.line(LogshipApp.JSON.createObjectNode().put("event_id", id)) <= 2_000,
                            id + " arrived " + count + " times; only the first batch was in flight at the reset");
                }
            });
            assertTrue(monitor(app).get("statistics").get("redeliveries").asInt() >= 1);
        }
    }

    /**
     * A slow Logstash (8 KB every 40 ms, about 200 KB/s) takes each 1,000-event batch (about 400 KB) in about 2 s,
     * longer than LOGSTASH_TIMEOUT (1 s): it keeps reading, so it is not stalled, and everything arrives once.
     */
    @Test
    void slowPeerThatKeepsReadingGetsEverything() throws Exception {
        try (LogstashListener slow = LogstashListener.tcpWithSmallBuffer(8192).readSlowly(8192, 40);
             LogshipApp app = start(slow, "logstash.batch.size", "1000")) {
            long started = System.nanoTime();
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", ndjson(3_000), null);
            String uploadId = result.get("upload_id").asText();
            assertEquals(3_000, result.get("sent_logstash").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt(), result.toString());
            List<JsonNode> events = Events.ofUpload(slow, uploadId, 3_000);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(3_000, Events.byEventId(events).size(), "each event once");
            assertTrue(millis > 3 * 1000, "the peer was slower than LOGSTASH_TIMEOUT per batch: " + millis + " ms");
            JsonNode statistics = monitor(app).get("statistics");
            assertEquals(0, statistics.get("redeliveries").asInt(), statistics.toString());
            assertFalse(monitor(app).get("health").get("hosts").get(0).get("circuit").asText().equals("open"));
        }
    }
}
