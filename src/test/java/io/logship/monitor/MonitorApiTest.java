package io.logship.monitor;

import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/v1/logs/logstash/monitor/ with a real Logstash stand-in: health, statistics, configuration, test message, reset. */
class MonitorApiTest extends WithTcpLogstash {

    static final String PATH = "/api/v1/logs/logstash/monitor/";

    private static String admin() {
        return app.token("ops", "admin");
    }

    private static JsonNode report() throws Exception {
        HttpResponse<String> response = app.get(PATH, admin());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return LogshipApp.json(response);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "POST", "DELETE"})
    void withoutTokenIs401(String method) throws Exception {
        HttpResponse<String> response = app.send(method, PATH, null);
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("unauthorized", LogshipApp.json(response).get("error").asText());
        assertTrue(LogshipApp.json(response).has("detail"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "POST", "DELETE"})
    void withoutAdminRoleIs403(String method) throws Exception {
        app.uploadAndWait(app.token("acme"), "text/plain", utf8("counted\n"), null);
        long sentBefore = report().get("statistics").get("total_sent").asLong();
        int eventsBefore = logstash.eventCount();

        HttpResponse<String> response = app.send(method, PATH, app.token("acme", "user", "operator"));
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("forbidden", LogshipApp.json(response).get("error").asText());
        assertTrue(LogshipApp.json(response).has("detail"));

        assertEquals(sentBefore, report().get("statistics").get("total_sent").asLong(), "a refused DELETE resets nothing");
        assertEquals(eventsBefore, logstash.eventCount(), "a refused POST sends nothing");
    }

    @Test
    void getShowsHealthStatisticsAndConfiguration() throws Exception {
        JsonNode report = report();
        JsonNode health = report.get("health");
        assertEquals("healthy", health.get("status").asText(), health.toString());
        assertTrue(health.get("connected").asBoolean());
        assertEquals(logstash.port(), health.get("port").asInt());
        assertEquals("localhost", health.get("host").asText());
        assertEquals("tcp", health.get("protocol").asText());
        assertTrue(health.has("last_error"));

        JsonNode statistics = report.get("statistics");
        for (String field : List.of("total_sent", "total_failed", "success_rate", "last_error")) {
            assertTrue(statistics.has(field), field + " in " + statistics);
        }
        JsonNode configuration = report.get("configuration");
        assertEquals(String.valueOf(logstash.port()), configuration.get("logstash_port").asText());
        assertEquals("tcp", configuration.get("logstash_protocol").asText());
        assertEquals("0.05", configuration.get("logstash_retry_delay").asText());

        String secret = app.context().resolvePropertyPlaceholders("{{jwt.secret}}");
        assertFalse(report.toString().contains(secret), "the JWT secret is never shown");
        assertFalse(report.toString().toLowerCase().contains("jwt"));
    }

    @Test
    void statisticsCountWhatWasSent() throws Exception {
        assertEquals(200, app.send("DELETE", PATH, admin()).statusCode());
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            body.append("line ").append(i).append('\n');
        }
        app.uploadAndWait(app.token("acme"), "text/plain", utf8(body.toString()), null);
        JsonNode statistics = report().get("statistics");
        assertEquals(250, statistics.get("total_sent").asInt(), statistics.toString());
        assertEquals(3, statistics.get("batches_sent").asInt(), "default LOGSTASH_BATCH_SIZE is 100");
        assertEquals(0, statistics.get("total_failed").asInt());
        assertEquals(1.0, statistics.get("success_rate").asDouble());
        assertFalse(statistics.get("last_sent_at").isNull());
    }

    @Test
    void postSendsOneTaggedTestEventThatArrives() throws Exception {
        HttpResponse<String> response = app.send("POST", PATH, admin());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = LogshipApp.json(response);
        assertTrue(answer.get("sent").asBoolean(), response.body());
        String eventId = answer.get("event_id").asText();

        LogshipApp.await(java.time.Duration.ofSeconds(10),
                () -> logstash.events().stream().anyMatch(e -> eventId.equals(e.path("event_id").asText())));
        List<JsonNode> arrived = logstash.events().stream().filter(e -> eventId.equals(e.path("event_id").asText())).toList();
        assertEquals(1, arrived.size(), "exactly one test event");
        JsonNode event = arrived.get(0);
        assertEquals(LogshipApp.JSON.readTree("[\"monitor_test\"]"), event.get("tags"));
        assertEquals("ops", event.get("tenant_id").asText(), "the admin's own tenant");
        assertTrue(event.has("@timestamp") && event.has("message"));
    }

    @Test
    void deleteResetsTheCounters() throws Exception {
        app.uploadAndWait(app.token("acme"), "text/plain", utf8("a\nb\n"), null);
        assertTrue(report().get("statistics").get("total_sent").asInt() >= 2);

        HttpResponse<String> response = app.send("DELETE", PATH, admin());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode reset = LogshipApp.json(response);
        assertEquals("reset", reset.get("status").asText());
        assertEquals(0, reset.get("statistics").get("total_sent").asInt());

        JsonNode statistics = report().get("statistics");
        for (String counter : List.of("total_sent", "total_failed", "batches_sent", "batches_failed", "redeliveries", "spooled", "rejected")) {
            assertEquals(0, statistics.get(counter).asInt(), counter + " in " + statistics);
        }
        assertEquals(1.0, statistics.get("success_rate").asDouble());
        assertTrue(statistics.get("last_error").isNull());
    }
}
