package io.logship.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOGSTASH_PROTOCOL=udp with the default datagram limit: a real UDP listener decodes every event of an upload. */
class LoghubToUdpLogstashTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.udp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "logstash.protocol", "udp");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    private static void assertWholeDatagrams() {
        assertTrue(logstash.undecodable().isEmpty(), () -> "undecodable: " + logstash.undecodable());
        assertTrue(logstash.datagramSizes().stream().allMatch(size -> size <= 8192), () -> "sizes: " + logstash.datagramSizes());
    }

    @Test
    void loghubNdjsonOverUdp() throws Exception {
        Path file = Events.sharedFile("loghub.ndjson");
        // every 8th line: 4,000 events of all 16 systems, with every kind of time (ISO with a comma, epoch, odd formats)
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += 8) {
            lines.add(all.get(i));
        }
        JsonNode result = app.uploadAndWait(app.token("loghub"), "application/x-ndjson", utf8(String.join("\n", lines) + "\n"), "source=udp");
        String uploadId = result.get("upload_id").asText();
        assertEquals(lines.size(), result.get("sent_logstash").asInt());

        List<JsonNode> events = Events.ofUpload(logstash, uploadId, lines.size());
        assertEquals(lines.size(), events.size());
        Map<String, JsonNode> byId = Events.byEventId(events);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = byId.get(uploadId + "-" + (i + 1));
            int number = i + 1;
            assertNotNull(event, () -> "line " + number + " did not arrive");
            LoghubExpectations.assertEvent(LogshipApp.JSON.readTree(lines.get(i)), event);
            assertEquals("loghub", event.get("tenant_id").asText());
        }
        assertWholeDatagrams();
        assertTrue(logstash.datagramSizes().size() < lines.size() / 5, "datagrams carry many events each: " + logstash.datagramSizes().size());
    }

    @Test
    void plainTextLogFileOverUdp() throws Exception {
        Path file = Events.sharedFile("loghub/HDFS.log");
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r?\n");
        var response = app.uploadMultipart(app.token("loghub"), "HDFS.log", Files.readAllBytes(file), Map.of("environment", "udp"), "wait=true");
        assertEquals(200, response.statusCode(), response.body());
        String uploadId = LogshipApp.json(response).get("upload_id").asText();
        List<JsonNode> events = Events.ofUpload(logstash, uploadId, lines.length);
        assertEquals(lines.length, events.size());
        Events.byEventId(events);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(lines[i], events.get(i).get("message").asText());
            assertEquals("HDFS.log", events.get(i).get("source").asText());
            assertEquals("udp", events.get(i).get("environment").asText());
        }
        assertWholeDatagrams();
    }

    @Test
    void jsonArrayAndMultiByteTextOverUdp() throws Exception {
        String array = "[{\"message\":\"\u65e5\u672c\u8a9e\",\"level\":\"I\"},{\"message\":\"\ud83d\ude80 launch\",\"level\":\"crit\"}]";
        JsonNode fromArray = app.uploadAndWait(app.token("acme"), "application/json", utf8(array), null);
        List<JsonNode> a = Events.ofUpload(logstash, fromArray.get("upload_id").asText(), 2);
        assertEquals("\u65e5\u672c\u8a9e", a.get(0).get("message").asText());
        assertEquals("INFO", a.get(0).get("level").asText());
        assertEquals("\ud83d\ude80 launch", a.get(1).get("message").asText());
        assertEquals("FATAL", a.get(1).get("level").asText());

        JsonNode fromText = app.uploadAndWait(app.token("acme"), "text/plain", utf8("Gr\u00fc\u00dfe aus K\u00f6ln\n\u00bfQu\u00e9 tal?\n"), null);
        List<JsonNode> t = Events.ofUpload(logstash, fromText.get("upload_id").asText(), 2);
        assertEquals(List.of("Gr\u00fc\u00dfe aus K\u00f6ln", "\u00bfQu\u00e9 tal?"), t.stream().map(e -> e.get("message").asText()).toList());
        assertWholeDatagrams();
    }
}
