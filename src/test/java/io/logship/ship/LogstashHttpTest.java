package io.logship.ship;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOGSTASH_PROTOCOL=http against a real HTTP server standing in for Logstash's http input: one POST per batch, a batch
 * counts as acknowledged only after a 200, 429 is redelivered after its Retry-After, any other 4xx takes the fallback
 * path at once with the reason, and basic auth goes with every request.
 */
class LogstashHttpTest {

    static LogstashHttpInput logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashHttpInput.start();
        // a generous response timeout: a slow answer on a loaded machine must not make a duplicate
        app = LogshipApp.start(settings(logstash, "logstash.timeout", "10"));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    static Map<String, String> settings(LogstashHttpInput input, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("logstash.protocol", "http",
                "logstash.port", String.valueOf(input.port()),
                // the spool stays put while a test looks at it (no Elasticsearch here)
                "spool.replay.interval", "3600"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    static byte[] events(int count, String prefix) {
        StringBuilder body = new StringBuilder(count * 60);
        for (int i = 1; i <= count; i++) {
            body.append("{\"message\":\"").append(prefix).append(' ').append(i).append("\",\"level\":\"info\",\"seq\":")
                    .append(i).append("}\n");
        }
        return utf8(body.toString());
    }

    /** How often each event of the upload arrived, by event_id. */
    static Map<String, Integer> arrivals(Path file, String uploadId) throws Exception {
        Map<String, Integer> arrivals = new HashMap<>();
        for (JsonNode event : LogstashHttpInput.recorded(file)) {
            if (uploadId.equals(event.path("upload_id").asText())) {
                arrivals.merge(event.get("event_id").asText(), 1, Integer::sum);
            }
        }
        return arrivals;
    }

    static JsonNode monitor(LogshipApp app) throws Exception {
        HttpResponse<String> response = app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"));
        assertEquals(200, response.statusCode(), response.body());
        return LogshipApp.json(response);
    }

    static long spoolFiles(LogshipApp app, String uploadId) throws Exception {
        Path spool = app.dataDir().resolve("spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.getFileName().toString().endsWith(uploadId + ".ndjson")).count();
        }
    }

    @Test
    void hundredThousandEventsAreAllAcknowledged() throws Exception {
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", app.token("ops", "admin")).statusCode());
        int requestsBefore = logstash.requests().size();
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", events(100_000, "bulk"), "source=http");
        String uploadId = result.get("upload_id").asText();
        assertEquals("completed", result.get("status").asText(), result.toString());
        assertEquals(100_000, result.get("received").asInt());
        assertEquals(100_000, result.get("sent_logstash").asInt());
        assertEquals(100_000, result.get("acknowledged_logstash").asInt(), "http batches count as acknowledged");
        assertEquals(0, result.get("written_logstash").asInt());
        assertEquals(0, result.get("spooled").asInt());

        Map<String, Integer> arrivals = arrivals(logstash.file(), uploadId);
        assertEquals(100_000, arrivals.size(), "every event arrived");
        for (int line = 1; line <= 100_000; line++) {
            assertNotNull(arrivals.get(uploadId + "-" + line), "line " + line);
        }
        JsonNode statistics = monitor(app).get("statistics");
        long duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
        // a duplicate needs a redelivery of a batch Logstash had taken (a lost answer): none without faults
        assertTrue(duplicates <= statistics.get("redeliveries").asLong() * 100, duplicates + " duplicates, " + statistics);
        // one POST per batch of LOGSTASH_BATCH_SIZE (100)
        assertEquals(1000 + statistics.get("redeliveries").asInt(), logstash.requests().size() - requestsBefore);

        assertEquals(100_000, statistics.get("total_acknowledged").asInt(), statistics.toString());
        assertEquals(0, statistics.get("total_written").asInt());
        assertEquals("acknowledged", statistics.get("delivery").asText());
        Scrape scrape = Scrape.of(app);
        assertTrue(scrape.value("logship_events_sent_total", "sink", "logstash", "protocol", "http", "delivery", "acknowledged")
                >= 100_000);
    }

    @Test
    void tooManyRequestsIsRedeliveredAfterRetryAfter() throws Exception {
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", app.token("ops", "admin")).statusCode());
        int from = logstash.requests().size();
        // bursts of two 429s (Retry-After: 1) after every 40 accepted batches; LOGSTASH_RETRY_DELAY is 0.05 s here,
        // so a second's pause before each retry is Retry-After's doing
        logstash.busy(40, 2, 1);
        JsonNode result;
        try {
            result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", events(20_000, "busy"), null);
        } finally {
            logstash.busy(0, 0, 1);
        }
        String uploadId = result.get("upload_id").asText();
        assertEquals(20_000, result.get("acknowledged_logstash").asInt(), result.toString());
        assertEquals(0, result.get("spooled").asInt());

        List<LogstashHttpInput.Request> requests = logstash.requests().subList(from, logstash.requests().size());
        int busy = 0;
        for (int i = 0; i < requests.size() - 1; i++) {
            if (requests.get(i).status() == 429) {
                busy++;
                long pauseMillis = (requests.get(i + 1).nanos() - requests.get(i).nanos()) / 1_000_000;
                assertTrue(pauseMillis >= 900, "the retry after a 429 came " + pauseMillis + " ms later, not after Retry-After: 1");
            }
        }
        assertTrue(busy >= 8, "429 answers: " + busy);
        assertEquals(busy, monitor(app).get("statistics").get("redeliveries").asInt());

        Map<String, Integer> arrivals = arrivals(logstash.file(), uploadId);
        assertEquals(20_000, arrivals.size());
        assertTrue(arrivals.values().stream().allMatch(n -> n == 1), "a 429 means Logstash did not take the batch");
    }

    @Test
    void aRefusedBatchGoesToTheFallbackPathAtOnceWithTheReason() throws Exception {
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", app.token("ops", "admin")).statusCode());
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 250; i++) {
            body.append(i == 150 ? LogstashHttpInput.REFUSE + " " + i : "fine " + i).append('\n');
        }
        int refusedBefore = (int) logstash.requests().stream().filter(r -> r.status() == 400).count();
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8(body.toString()), null);
        String uploadId = result.get("upload_id").asText();

        // lines 101-200 are one batch: refused once, not redelivered, spooled (no Elasticsearch here)
        assertEquals("completed", result.get("status").asText());
        assertEquals(150, result.get("acknowledged_logstash").asInt(), result.toString());
        assertEquals(100, result.get("spooled").asInt(), result.toString());
        assertEquals(1, logstash.requests().stream().filter(r -> r.status() == 400).count() - refusedBefore);
        assertEquals(1, spoolFiles(app, uploadId));
        assertEquals(150, arrivals(logstash.file(), uploadId).size());

        JsonNode statistics = monitor(app).get("statistics");
        assertEquals(0, statistics.get("redeliveries").asInt(), statistics.toString());
        assertEquals(1, statistics.get("batches_failed").asInt());
        String reason = statistics.get("last_error").asText();
        assertTrue(reason.contains("HTTP 400") && reason.contains("cannot decode the body"), reason);
    }

    @Test
    void basicAuthGoesWithEveryBatchAndAWrongPasswordIsAReason() throws Exception {
        try (LogstashHttpInput secured = LogstashHttpInput.start(new LogstashHttpInput.Options().basicAuth("logship", "s3cret"))) {
            try (LogshipApp right = LogshipApp.start(settings(secured, "logstash.user", "logship", "logstash.password", "s3cret"))) {
                JsonNode result = right.uploadAndWait(right.token("acme"), "text/plain", utf8("one\ntwo\nthree\n"), null);
                assertEquals(3, result.get("acknowledged_logstash").asInt(), result.toString());
                assertEquals(3, arrivals(secured.file(), result.get("upload_id").asText()).size());
                assertFalse(secured.authorizations().isEmpty());
            }
            try (LogshipApp wrong = LogshipApp.start(settings(secured, "logstash.user", "logship", "logstash.password", "guess"))) {
                JsonNode result = wrong.uploadAndWait(wrong.token("acme"), "text/plain", utf8("one\ntwo\nthree\n"), null);
                assertEquals(0, result.get("sent_logstash").asInt(), result.toString());
                assertEquals(3, result.get("spooled").asInt());
                String reason = monitor(wrong).get("statistics").get("last_error").asText();
                assertTrue(reason.contains("HTTP 401"), reason);
            }
        }
    }
}
