package io.logship.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100,000 events of the real loghub data (shared/data; its 32,000 lines over and over) through logship with
 * LOGSTASH_PROTOCOL=http to a real HTTP server standing in for Logstash's http input: every event is acknowledged,
 * arrives, and arrives normalized as DESIGN.md says.
 */
class LoghubToHttpLogstashTest {

    static final int EVENTS = 100_000;

    @Test
    void hundredThousandLoghubEventsAreAcknowledgedAndArriveNormalized() throws Exception {
        Path file = Events.sharedFile("loghub.ndjson");
        List<String> loghub = Files.readAllLines(file, StandardCharsets.UTF_8);
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        for (int i = 0; i < EVENTS; i++) {
            upload.writeBytes((loghub.get(i % loghub.size()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try (LogstashHttpInput logstash = LogstashHttpInput.start();
             LogshipApp app = LogshipApp.start(Map.of("logstash.protocol", "http",
                     "logstash.port", String.valueOf(logstash.port()), "logstash.timeout", "10"))) {
            JsonNode result = app.uploadAndWait(app.token("loghub"), "application/x-ndjson", upload.toByteArray(),
                    "source=loghub&environment=test");
            String uploadId = result.get("upload_id").asText();
            assertEquals("completed", result.get("status").asText());
            assertEquals(EVENTS, result.get("received").asInt());
            assertEquals(EVENTS, result.get("acknowledged_logstash").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt());
            assertEquals(0, result.get("rejected").asInt());

            Map<String, JsonNode> byId = new HashMap<>();
            int copies = 0;
            for (JsonNode event : LogstashHttpInput.recorded(logstash.file())) {
                if (uploadId.equals(event.path("upload_id").asText())) {
                    byId.put(event.get("event_id").asText(), event);
                    copies++;
                }
            }
            for (int i = 0; i < EVENTS; i++) {
                JsonNode event = byId.get(uploadId + "-" + (i + 1));
                int number = i + 1;
                assertNotNull(event, () -> "line " + number + " did not arrive");
                LoghubExpectations.assertEvent(LogshipApp.JSON.readTree(loghub.get(i % loghub.size())), event);
                assertEquals("loghub", event.get("tenant_id").asText());
                assertEquals("test", event.get("environment").asText());
            }
            int redeliveries = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                    .get("statistics").get("redeliveries").asInt();
            // a second copy needs a batch sent again after Logstash had taken it: none without a redelivery
            assertTrue(copies - EVENTS <= redeliveries * 100, (copies - EVENTS) + " duplicates, " + redeliveries + " redeliveries");
        }
    }
}
