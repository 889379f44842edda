package io.logship.ship;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOGSTASH_UDP_MAX_BYTES: datagrams of whole lines within the limit; an event that cannot fit takes the fallback path. */
class UdpDatagramLimitTest {

    static final int LIMIT = 600;

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.udp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "logstash.protocol", "udp",
                "logstash.udp.max.bytes", String.valueOf(LIMIT));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    private JsonNode statistics() throws Exception {
        return LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"))).get("statistics");
    }

    @Test
    void datagramsHoldWholeLinesWithinTheLimitAndEveryEventArrives() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            // events of about 230 to 330 bytes on the wire: two fit in a datagram, sometimes only one
            body.append("{\"message\":\"event ").append(i).append(' ').append("m".repeat(i % 100)).append("\",\"level\":\"W\"}\n");
        }
        int datagramsBefore = logstash.datagramSizes().size();
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body.toString()), null);
        assertEquals(300, result.get("sent_logstash").asInt());
        assertEquals(0, result.get("spooled").asInt());

        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 300);
        assertEquals(300, events.size());
        Events.byEventId(events);
        for (int i = 1; i <= 300; i++) {
            assertEquals("event " + i + " " + "m".repeat(i % 100), events.get(i - 1).get("message").asText());
            assertEquals("WARN", events.get(i - 1).get("level").asText());
        }
        List<Integer> sizes = logstash.datagramSizes().subList(datagramsBefore, logstash.datagramSizes().size());
        assertTrue(sizes.stream().allMatch(size -> size <= LIMIT), "datagram over " + LIMIT + ": " + sizes);
        assertTrue(sizes.stream().anyMatch(size -> size > LIMIT / 2), "datagrams are packed with more than one event: " + sizes);
        assertTrue(logstash.undecodable().isEmpty(), "a datagram held a partial line: " + logstash.undecodable());
    }

    @Test
    void anEventLargerThanTheLimitIsNotSentByUdpButSpooledAndCounted() throws Exception {
        long failedBefore = statistics().get("total_failed").asLong();
        String big = "B".repeat(LIMIT);
        String body = "{\"message\":\"small 1\"}\n{\"message\":\"" + big + "\"}\n{\"message\":\"small 3\"}\n";
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body), null);
        String uploadId = result.get("upload_id").asText();
        assertEquals(3, result.get("received").asInt());
        assertEquals(2, result.get("sent_logstash").asInt());
        assertEquals(1, result.get("spooled").asInt());
        assertEquals(0, result.get("rejected").asInt(), "too big for a datagram is not a bad event");

        List<JsonNode> events = Events.ofUpload(logstash, uploadId, 2);
        assertEquals(List.of(1L, 3L), events.stream().map(Events::line).toList());
        assertTrue(logstash.datagramSizes().stream().allMatch(size -> size <= LIMIT));
        assertTrue(logstash.undecodable().stream().noneMatch(u -> u.contains(big)), "no truncated piece of the big event");
        assertFalse(logstash.events().stream().anyMatch(e -> e.toString().contains(big)));

        assertEquals(failedBefore + 1, statistics().get("total_failed").asLong());

        // the spooled document is the whole event, exactly as it would have gone on the wire
        List<String> spooled = spooledDocumentsOf(uploadId);
        assertEquals(1, spooled.size());
        JsonNode document = LogshipApp.JSON.readTree(spooled.get(0));
        assertEquals(big, document.get("message").asText());
        assertEquals(uploadId + "-2", document.get("event_id").asText());
        assertEquals("acme", document.get("tenant_id").asText());
    }

    static List<String> spooledDocumentsOf(String uploadId) throws Exception {
        List<String> documents = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(app.dataDir().resolve("spool"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(uploadId + ".ndjson")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                assertEquals(uploadId, LogshipApp.JSON.readTree(lines.get(0)).get("upload_id").asText());
                documents.addAll(lines.subList(1, lines.size()));
            }
        }
        return documents;
    }
}
