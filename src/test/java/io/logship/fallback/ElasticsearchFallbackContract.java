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
import io.logship.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Elasticsearch path against a real server: subclasses start 9.x and 8.x. Logstash is a closed
 * port, so every batch exhausts its redeliveries and falls back. The node is set up like a default
 * cluster, where every {@code logs-*-*} name becomes a data stream, with an operator's template that keeps
 * the tenants {@code plain*} in plain indices (as docker-compose's {@code logship-logs} does for all).
 */
@Tag("elasticsearch")
abstract class ElasticsearchFallbackContract {

    static final String DATA_STREAM_TENANT = "acme";
    static final String PLAIN_INDEX_TENANT = "plain_acme";

    static ElasticsearchServer elasticsearch;

    static void start(String version) {
        elasticsearch = ElasticsearchServer.start(version);
        // the integ-test zip lacks the default distribution's built-in "logs" template; this is its part that matters here
        elasticsearch.put("/_index_template/logs-as-built-in",
                "{\"index_patterns\":[\"logs-*-*\"],\"data_stream\":{},\"priority\":100}");
        elasticsearch.put("/_index_template/plain-logs", "{\"index_patterns\":[\"logs-plain*-*\"],\"priority\":200}");
    }

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

    @ParameterizedTest
    @ValueSource(strings = {DATA_STREAM_TENANT, PLAIN_INDEX_TENANT})
    void logstashDownEveryEventIsInItsMonthlyIndexWithEventIdAsId(String tenant) throws Exception {
        try (LogshipApp app = app()) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                body.append("{\"@timestamp\":\"2024-0").append(1 + i % 3).append("-15T10:00:00Z\",\"n\":").append(i)
                        .append(",\"level\":\"w\"}\n");
            }
            JsonNode result = app.uploadAndWait(app.token(tenant), "application/x-ndjson",
                    body.toString().getBytes(StandardCharsets.UTF_8), null);
            assertEquals(120, result.get("received").asInt());
            assertEquals(120, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt() + result.get("rejected").asInt() + result.get("sent_logstash").asInt());
            String prefix = "logs-" + tenant + "-2024.";
            assertEquals(40, elasticsearch.count(prefix + "01"));
            assertEquals(40, elasticsearch.count(prefix + "02"));
            assertEquals(40, elasticsearch.count(prefix + "03"));
            assertEquals(tenant.equals(DATA_STREAM_TENANT), elasticsearch.isDataStream(prefix + "02"));
            String uploadId = result.get("upload_id").asText();
            JsonNode doc = document(prefix + "02", uploadId + "-2");
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

    /** On a data stream and on a plain index, a document written again is answered 409 and is already there. */
    @ParameterizedTest
    @ValueSource(strings = {DATA_STREAM_TENANT, PLAIN_INDEX_TENANT})
    void aReplayOfTheSameUploadLinesCreatesNoDuplicates(String tenant) throws Exception {
        try (LogshipApp app = app("use.logstash", "false")) {
            JsonNode result = app.uploadAndWait(app.token(tenant), "application/x-ndjson",
                    "{\"@timestamp\":\"2023-07-01T00:00:00Z\",\"m\":1}\n{\"@timestamp\":\"2023-07-01T00:00:00Z\",\"m\":2}\n"
                            .getBytes(StandardCharsets.UTF_8), null);
            String index = "logs-" + tenant + "-2023.07";
            assertEquals(2, elasticsearch.count(index));
            assertEquals(tenant.equals(DATA_STREAM_TENANT), elasticsearch.isDataStream(index));
            // send the very same batch again, as a replay after a crash would
            String uploadId = result.get("upload_id").asText();
            app.context().createProducerTemplate().sendBody("direct:elasticsearch",
                    io.logship.event.EventBatchFixtures.twoEvents(uploadId, tenant));
            assertEquals(2, elasticsearch.count(index));
            Set<String> ids = new HashSet<>();
            JsonNode hits = LogshipApp.JSON.readTree(elasticsearch.get("/" + index + "/_search")).at("/hits/hits");
            hits.forEach(hit -> ids.add(hit.get("_id").asText()));
            assertEquals(Set.of(uploadId + "-1", uploadId + "-2"), ids);
            // the 409s counted as delivered: nothing refused, nothing spooled
            assertEquals(List.of(), files(app.dataDir().resolve("dead-letter")));
            assertEquals(List.of(), files(app.dataDir().resolve("spool")));
            assertEquals(4, Scrape.of(app).value("logship_events_sent_total", "sink", "elasticsearch", "protocol", "bulk"));
        }
    }

    /** The one document with this _id; the get API does not read data streams, a search does. */
    static JsonNode document(String index, String id) throws Exception {
        JsonNode hits = LogshipApp.JSON.readTree(elasticsearch.post("/" + index + "/_search",
                "{\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}}}")).at("/hits/hits");
        assertEquals(1, hits.size(), hits.toString());
        return hits.get(0);
    }

    static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
