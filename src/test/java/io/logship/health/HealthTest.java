package io.logship.health;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /observe/health follows Logstash as it goes away and comes back; readiness follows what decides whether
 * uploads are taken: the spool, not Logstash.
 */
class HealthTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcpOnReservablePort();
        // one spooled batch fills this spool
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "logstash.max.retries", "0",
                "spool.max.bytes", "10", "spool.replay.interval", "0.2");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    void logstashDownIsReportedButTheInstanceStaysReadyUntilTheSpoolIsFull() throws Exception {
        assertEquals(200, app.get("/observe/health", null).statusCode());
        assertEquals("UP", check("/observe/health", "logstash").path("status").asText());
        assertEquals("UP", check("/observe/health/ready", "spool").path("status").asText());
        assertEquals(200, app.get("/observe/health/live", null).statusCode());

        int port = logstash.port();
        logstash.close();
        HttpResponse<String> health = app.get("/observe/health", null);
        assertEquals(503, health.statusCode(), health.body());
        JsonNode logstashCheck = check("/observe/health", "logstash");
        assertEquals("DOWN", logstashCheck.path("status").asText());
        assertTrue(logstashCheck.path("message").asText().contains("localhost:" + port + " (tcp) is not reachable"),
                logstashCheck.toString());
        JsonNode data = LogshipApp.json(app.get("/observe/health?data=true", null));
        assertEquals(port, find(data, "logstash").at("/data/port").asInt());
        assertEquals(0, Scrape.of(app).value("logship_logstash_up"));
        HttpResponse<String> ready = app.get("/observe/health/ready", null);
        assertEquals(200, ready.statusCode(), "uploads are still taken: " + ready.body());
        assertEquals(200, app.get("/observe/health/live", null).statusCode());

        // with Logstash down the batch is spooled, and the spool is now full: not ready, uploads refused
        String token = app.token("acme");
        JsonNode result = app.uploadAndWait(token, "application/x-ndjson", "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(1, result.get("spooled").asInt());
        ready = app.get("/observe/health/ready", null);
        assertEquals(503, ready.statusCode());
        JsonNode spool = check("/observe/health/ready", "spool");
        assertEquals("DOWN", spool.path("status").asText());
        assertTrue(spool.path("message").asText().startsWith("the spool is full"), spool.toString());
        assertEquals(503, app.upload(token, "application/x-ndjson", "{\"n\":2}\n".getBytes(StandardCharsets.UTF_8), null)
                .statusCode());

        // Logstash is back on the same port: the spool drains, everything is UP again
        logstash = LogstashListener.tcp(port);
        assertEquals("UP", check("/observe/health", "logstash").path("status").asText());
        logstash.awaitEvents(1, Duration.ofSeconds(20));
        LogshipApp.await(Duration.ofSeconds(20), () -> status("/observe/health/ready") == 200);
        assertEquals(200, app.get("/observe/health", null).statusCode());
        assertEquals(1, Scrape.of(app).value("logship_logstash_up"));
    }

    static JsonNode check(String path, String name) throws Exception {
        return find(LogshipApp.json(app.get(path, null)), name);
    }

    static JsonNode find(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private static int status(String path) {
        try {
            return app.get(path, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
