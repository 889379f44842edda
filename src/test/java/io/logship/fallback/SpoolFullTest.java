package io.logship.fallback;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPOOL_MAX_BYTES: once the spool is full, new uploads get 503 with Retry-After; an accepted upload is still spooled whole. */
class SpoolFullTest {

    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        app = LogshipApp.start("logstash.port", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "logstash.max.retries", "0", "spool.max.bytes", "1000");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Test
    void fullSpoolRefusesNewUploadsWith503() throws Exception {
        // accepted while the spool is empty: all of it is spooled, even past the limit
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            body.append("{\"message\":\"spooled ").append(i).append("\"}\n");
        }
        JsonNode first = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body.toString()), null);
        assertEquals(250, first.get("spooled").asInt(), first.toString());

        HttpResponse<String> refused = app.upload(app.token("acme"), "text/plain", utf8("one more\n"), "wait=true");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
        JsonNode error = LogshipApp.json(refused);
        assertEquals("spool_full", error.get("error").asText());
        assertTrue(error.get("detail").asText().contains("spool"));

        JsonNode spool = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"))).get("spool");
        assertTrue(spool.get("full").asBoolean(), spool.toString());
        assertEquals(3, spool.get("batches").asInt());
    }
}
