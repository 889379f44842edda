package io.logship.fallback;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Elasticsearch path against a real server: subclasses start 9.x and 8.x. Logstash is a closed
 * port, so every batch exhausts its redeliveries and falls back.
 */
@Tag("elasticsearch")
abstract class ElasticsearchFallbackContract {

    static ElasticsearchServer elasticsearch;

    @AfterAll
    static void stopElasticsearch() {
        if (elasticsearch != null) {
            elasticsearch.close();
            elasticsearch = null;
        }
    }

    private LogshipApp app(String... extra) throws Exception {
        String[] settings = {"logstash.port", String.valueOf(ElasticsearchServer.freePort()),
                "logstash.max.retries", "1", "elasticsearch.hosts", elasticsearch.url(),
                "elasticsearch.retry.delay", "0.05", "logstash.batch.size", "50"};
        String[] all = new String[settings.length + extra.length];
        System.arraycopy(settings, 0, all, 0, settings.length);
        System.arraycopy(extra, 0, all, settings.length, extra.length);
        return LogshipApp.start(all);
    }

    @Test
    void logstashDownEveryEventIsInItsMonthlyIndexWithEventIdAsId() throws Exception {
        try (LogshipApp app = app()) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                body.append("{\"@timestamp\":\"2024-0").append(1 + i % 3).append("-15T10:00:00Z\",\"n\":").append(i)
                        .append(",\"level\":\"w\"}\n");
            }
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson",
                    body.toString().getBytes(StandardCharsets.UTF_8), null);
            assertEquals(120, result.get("received").asInt());
            assertEquals(120, result.get("sent_elasticsearch").asInt());
            assertEquals(0, result.get("spooled").asInt() + result.get("rejected").asInt() + result.get("sent_logstash").asInt());
            assertEquals(40, elasticsearch.count("logs-acme-2024.01"));
            assertEquals(40, elasticsearch.count("logs-acme-2024.02"));
            assertEquals(40, elasticsearch.count("logs-acme-2024.03"));
            String uploadId = result.get("upload_id").asText();
            JsonNode doc = LogshipApp.JSON.readTree(elasticsearch.get("/logs-acme-2024.02/_doc/" + uploadId + "-2"));
            assertEquals(true, doc.get("found").asBoolean());
            assertEquals(1, doc.at("/_source/n").asInt());
            assertEquals("WARN", doc.at("/_source/level").asText());
            assertEquals(uploadId + "-2", doc.at("/_source/event_id").asText());
        }
    }

    @Test
    void useLogstashFalseShipsStraightToElasticsearch() throws Exception {
        try (LogshipApp app = app("use.logstash", "false")) {
            JsonNode result = app.uploadAndWait(app.token("direct"), "text/plain",
                    "first line\nsecond line\nthird line\n".getBytes(StandardCharsets.UTF_8), "source=app.log");
            assertEquals(3, result.get("sent_elasticsearch").asInt());
            JsonNode stats = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor", app.token("ops", "admin")));
            assertEquals(0, stats.at("/statistics/total_failed").asInt(), "Logstash is not tried at all");
            String month = java.time.format.DateTimeFormatter.ofPattern("yyyy.MM").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.now());
            assertEquals(3, elasticsearch.count("logs-direct-" + month));
        }
    }

    @Test
    void mappingConflictsGoToTheDeadLettersAndTheCountsAddUp() throws Exception {
        try (LogshipApp app = app("logstash.batch.size", "100")) {
            String body = "{\"@timestamp\":\"2024-05-01T00:00:00Z\",\"field\":{\"a\":1}}\n"
                    + "{\"@timestamp\":\"2024-05-01T00:00:01Z\",\"field\":{\"a\":2}}\n"
                    + "{\"@timestamp\":\"2024-05-01T00:00:02Z\",\"field\":7}\n"
                    + "{\"@timestamp\":\"2024-05-01T00:00:03Z\",\"other\":true}\n";
            // the first document fixes the mapping of "field" as an object
            app.uploadAndWait(app.token("mapped"), "application/x-ndjson",
                    body.lines().findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8), null);
            JsonNode result = app.uploadAndWait(app.token("mapped"), "application/x-ndjson",
                    body.getBytes(StandardCharsets.UTF_8), null);
            assertEquals(4, result.get("received").asInt());
            assertEquals(3, result.get("sent_elasticsearch").asInt());
            assertEquals(1, result.get("rejected").asInt());
            assertEquals(3, result.at("/errors/0/line").asInt());
            assertTrue(result.at("/errors/0/reason").asText().contains("400"), result.toString());
            assertEquals(4, elasticsearch.count("logs-mapped-2024.05"), "1 from the first upload + 3 good ones");

            Path deadLetters = app.dataDir().resolve("dead-letter");
            List<String> lines;
            try (var files = Files.list(deadLetters)) {
                lines = Files.readAllLines(files.findFirst().orElseThrow());
            }
            assertEquals(1, lines.size());
            JsonNode entry = LogshipApp.JSON.readTree(lines.get(0));
            assertEquals(7, entry.at("/document/field").asInt());
            assertEquals(result.get("upload_id").asText() + "-3", entry.at("/document/event_id").asText());
            assertTrue(entry.get("reason").asText().contains("mapp") || entry.get("reason").asText().contains("parsing"),
                    entry.get("reason").asText());
        }
    }

    @Test
    void aReplayOfTheSameUploadLinesCreatesNoDuplicates() throws Exception {
        try (LogshipApp app = app("use.logstash", "false")) {
            JsonNode result = app.uploadAndWait(app.token("idem"), "application/x-ndjson",
                    "{\"@timestamp\":\"2023-07-01T00:00:00Z\",\"m\":1}\n{\"@timestamp\":\"2023-07-01T00:00:00Z\",\"m\":2}\n"
                            .getBytes(StandardCharsets.UTF_8), null);
            assertEquals(2, elasticsearch.count("logs-idem-2023.07"));
            // send the very same batch again, as a replay after a crash would
            app.context().createProducerTemplate().sendBody("direct:elasticsearch",
                    io.logship.event.EventBatchFixtures.twoEvents(result.get("upload_id").asText(), "idem"));
            assertEquals(2, elasticsearch.count("logs-idem-2023.07"));
            Set<String> ids = new HashSet<>();
            JsonNode hits = LogshipApp.JSON.readTree(elasticsearch.get("/logs-idem-2023.07/_search")).at("/hits/hits");
            hits.forEach(hit -> ids.add(hit.get("_id").asText()));
            assertEquals(Set.of(result.get("upload_id").asText() + "-1", result.get("upload_id").asText() + "-2"), ids);
        }
    }
}
