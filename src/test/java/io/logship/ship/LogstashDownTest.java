package io.logship.ship;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logstash is down (nothing listens on LOGSTASH_PORT): each batch is redelivered LOGSTASH_MAX_RETRIES times with
 * exponential backoff, then written to the durable spool and counted as failed. Then Logstash comes up on the
 * same port, and uploads flow again without restarting logship (ordered: that test changes the world).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogstashDownTest {

    static final int RETRIES = 4;
    static final double DELAY_SECONDS = 0.05;

    static int port;
    static LogshipApp app;
    static String spooledUpload;

    @BeforeAll
    static void start() throws Exception {
        port = AvailablePortFinder.getNextAvailable();
        app = LogshipApp.start("logstash.port", String.valueOf(port), "logstash.max.retries", String.valueOf(RETRIES),
                "logstash.retry.delay", String.valueOf(DELAY_SECONDS));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private static String admin() {
        return app.token("ops", "admin");
    }

    private static JsonNode monitor() throws Exception {
        HttpResponse<String> response = app.get("/api/v1/logs/logstash/monitor/", admin());
        assertEquals(200, response.statusCode(), response.body());
        return LogshipApp.json(response);
    }

    @Test
    @Order(1)
    void batchIsRedeliveredWithBackoffThenSpooledAndCountedAsFailed() throws Exception {
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", admin()).statusCode());
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            body.append("{\"message\":\"kept ").append(i).append("\",\"level\":\"warning\"}\n");
        }
        long started = System.nanoTime();
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body.toString()), "source=down");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        // 50 + 100 + 200 + 400 ms: each redelivery waits twice as long as the one before
        long backoff = 0;
        for (int i = 0; i < RETRIES; i++) {
            backoff += (long) (DELAY_SECONDS * 1000) << i;
        }
        assertTrue(elapsedMillis >= backoff, "took " + elapsedMillis + " ms, the backoff alone is " + backoff + " ms");

        String uploadId = result.get("upload_id").asText();
        spooledUpload = uploadId;
        assertEquals("completed", result.get("status").asText());
        assertEquals(7, result.get("received").asInt());
        assertEquals(0, result.get("sent_logstash").asInt());
        assertEquals(result.get("received"), result.get("spooled"), "every received event is in the spool");

        JsonNode statistics = monitor().get("statistics");
        assertEquals(RETRIES, statistics.get("redeliveries").asInt(), statistics.toString());
        assertEquals(7, statistics.get("total_failed").asInt());
        assertEquals(1, statistics.get("batches_failed").asInt());
        assertEquals(0, statistics.get("total_sent").asInt());
        assertEquals(0.0, statistics.get("success_rate").asDouble());
        assertFalse(statistics.get("last_error").isNull(), statistics.toString());

        // the spool holds the very documents that were meant for Logstash
        List<Path> files;
        try (Stream<Path> spool = Files.list(app.dataDir().resolve("spool"))) {
            files = spool.filter(f -> f.getFileName().toString().endsWith(uploadId + ".ndjson")).toList();
        }
        assertEquals(1, files.size(), "one batch, one spool file");
        List<String> lines = Files.readAllLines(files.get(0));
        JsonNode header = LogshipApp.JSON.readTree(lines.get(0));
        assertEquals(uploadId, header.get("upload_id").asText());
        assertEquals("acme", header.get("tenant_id").asText());
        assertEquals(8, lines.size());
        for (int i = 1; i <= 7; i++) {
            JsonNode document = LogshipApp.JSON.readTree(lines.get(i));
            assertEquals("kept " + i, document.get("message").asText());
            assertEquals("WARN", document.get("level").asText());
            assertEquals(uploadId + "-" + i, document.get("event_id").asText());
            assertEquals("acme", document.get("tenant_id").asText());
            assertEquals("down", document.get("source").asText());
        }
        assertEquals(1, monitor().get("spool").get("batches").asInt());
    }

    @Test
    @Order(2)
    void monitorReportsLogstashUnhealthy() throws Exception {
        JsonNode health = monitor().get("health");
        assertEquals("unhealthy", health.get("status").asText(), health.toString());
        assertFalse(health.get("connected").asBoolean());
        assertEquals(port, health.get("port").asInt());
        assertEquals("tcp", health.get("protocol").asText());
        assertFalse(health.get("last_error").isNull(), health.toString());

        HttpResponse<String> test = app.send("POST", "/api/v1/logs/logstash/monitor/", admin());
        assertEquals(200, test.statusCode(), test.body());
        JsonNode answer = LogshipApp.json(test);
        assertFalse(answer.get("sent").asBoolean(), test.body());
        assertNotNull(answer.get("error"));
    }

    @Test
    @Order(3)
    void uploadsFlowAgainOnceLogstashIsBackOnTheSamePort() throws Exception {
        try (LogstashListener logstash = LogstashListener.tcp(port)) {
            // first the spool drains: the batch of the first test reaches Logstash, oldest first
            List<JsonNode> replayed = Events.ofUpload(logstash, spooledUpload, 7);
            assertEquals("kept 1", replayed.get(0).get("message").asText());
            LogshipApp.await(java.time.Duration.ofSeconds(20), () -> {
                try (Stream<Path> spool = Files.list(app.dataDir().resolve("spool"))) {
                    return spool.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            JsonNode replayedStatus = LogshipApp.json(app.get("/api/v1/logs/uploads/" + spooledUpload, app.token("acme")));
            assertEquals(7, replayedStatus.get("sent_logstash").asInt(), replayedStatus.toString());
            assertEquals(0, replayedStatus.get("spooled").asInt(), replayedStatus.toString());

            assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", admin()).statusCode());
            JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("back 1\nback 2\nback 3\n"), null);
            assertEquals(3, result.get("sent_logstash").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt());
            List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 3);
            assertEquals(List.of("back 1", "back 2", "back 3"), events.stream().map(e -> e.get("message").asText()).toList());

            JsonNode report = monitor();
            assertEquals("healthy", report.get("health").get("status").asText());
            assertTrue(report.get("health").get("connected").asBoolean());
            assertEquals(3, report.get("statistics").get("total_sent").asInt());
            assertEquals(0, report.get("statistics").get("redeliveries").asInt());
            assertEquals(1.0, report.get("statistics").get("success_rate").asDouble());
        }
    }
}
