package io.logship.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real loghub data (shared/data) through logship to a real TCP listener: every line arrives once, as DESIGN.md says. */
class LoghubToTcpLogstashTest extends WithTcpLogstash {

    @Test
    void everyLoghubNdjsonEventArrivesExactlyOnceNormalized() throws Exception {
        Path file = Events.sharedFile("loghub.ndjson");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        JsonNode result = app.uploadAndWait(app.token("loghub"), "application/x-ndjson", Files.readAllBytes(file),
                "source=loghub&environment=test");
        String uploadId = result.get("upload_id").asText();
        assertEquals("completed", result.get("status").asText());
        assertEquals(lines.size(), result.get("received").asInt());
        assertEquals(lines.size(), result.get("sent_logstash").asInt());
        assertEquals(0, result.get("rejected").asInt());
        assertEquals(0, result.get("spooled").asInt());

        List<JsonNode> events = Events.ofUpload(logstash, uploadId, lines.size());
        assertEquals(lines.size(), events.size());
        Map<String, JsonNode> byId = Events.byEventId(events);
        Map<String, Integer> levels = new HashMap<>();
        int ownTimestamps = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = LogshipApp.JSON.readTree(lines.get(i));
            JsonNode event = byId.get(uploadId + "-" + (i + 1));
            int number = i + 1;
            assertNotNull(event, () -> "line " + number + " did not arrive");
            LoghubExpectations.assertEvent(line, event);
            assertEquals("loghub", event.get("tenant_id").asText());
            assertEquals("loghub", event.get("source").asText());
            assertEquals("test", event.get("environment").asText());
            assertEquals(uploadId, event.get("upload_id").asText());
            levels.merge(event.path("level").asText("-"), 1, Integer::sum);
            if (!event.get("@timestamp").asText().equals(event.get("ingested_at").asText())) {
                ownTimestamps++;
            }
        }
        // the messy levels of the data set collapse to the canonical ones; unknown ones stay upper-cased
        assertEquals(java.util.Set.of("-", "INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "NOTICE", "COMBO"), levels.keySet());
        // every system's time but Linux, OpenSSH, BGL, HealthApp, Mac and Proxifier (whose `time` lacks a month or a year)
        assertTrue(ownTimestamps >= 20_000, "the times of the data set are used: " + ownTimestamps);
        assertTrue(logstash.undecodable().isEmpty(), "undecodable: " + logstash.undecodable().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Android.log", "Apache.log", "HDFS.log", "Linux.log", "OpenStack.log", "Spark.log",
            "Thunderbird.log", "Windows.log"})
    void everyLineOfARealLogFileArrivesAsItsMessageWithItsTimeAndLevel(String name) throws Exception {
        Path file = Events.sharedFile("loghub/" + name);
        // CRLF files, some without a final line break: a line is what is between the breaks, CR excluded
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1);
        List<String> expected = java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).toList();

        io.logship.testing.LoghubReading.UPLOADED.set(System.currentTimeMillis());
        var response = app.uploadMultipart(app.token("loghub"), name, Files.readAllBytes(file), Map.of(), "wait=true");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = LogshipApp.json(response);
        assertEquals(expected.size(), result.get("sent_logstash").asInt());
        assertEquals(name, result.get("source").asText());

        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), expected.size());
        assertEquals(expected.size(), events.size());
        Events.byEventId(events);
        int read = 0;
        int right = 0;
        for (int i = 0, e = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode event = events.get(e++);
            assertEquals(i + 1, Events.line(event));
            assertEquals(lines[i], event.get("message").asText());
            assertEquals(name, event.get("source").asText(), "source defaults to the file name");
            assertFalse(event.has("tags"), () -> "a text line is not a parse error: " + event);
            var reading = io.logship.testing.LoghubReading.read(name, lines[i]);
            if (reading != null) {
                read++;
                boolean level = reading.level() == null ? !event.has("level")
                        : io.logship.testing.LoghubReading.level(reading.level()).equals(event.path("level").asText());
                if (level && reading.time().equals(event.get("@timestamp").asText())) {
                    right++;
                }
            }
        }
        assertTrue(read >= expected.size() * 0.99, name + ": a person reads a time in " + read + " lines");
        assertTrue(right >= read * 0.99, name + ": " + right + " of " + read + " lines keep their time and level");
    }
}
