package io.logship.fallback;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both sinks down: the durable spool keeps the batches until one is back. */
class SpoolTest {

    private static String ndjson(int events) {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= events; i++) {
            body.append("{\"@timestamp\":\"2024-06-01T00:00:00Z\",\"seq\":").append(i).append("}\n");
        }
        return body.toString();
    }

    private static List<Path> spoolFiles(LogshipApp app) throws Exception {
        try (Stream<Path> files = Files.list(app.dataDir().resolve("spool"))) {
            return files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList();
        }
    }

    @Test
    @Tag("elasticsearch")
    void bothSinksDownEventsAreSpooledThenDrainIntoElasticsearchExactlyOnce() throws Exception {
        int esPort = ElasticsearchServer.freePort();
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(ElasticsearchServer.freePort()),
                "logstash.max.retries", "1", "logstash.batch.size", "40", "upload.batch.size", "40",
                "elasticsearch.hosts", "http://127.0.0.1:" + esPort, "elasticsearch.max.retries", "1",
                "elasticsearch.retry.delay", "0.05", "spool.replay.interval", "0.5")) {
            JsonNode result = app.uploadAndWait(app.token("spooly"), "application/x-ndjson",
                    ndjson(100).getBytes(StandardCharsets.UTF_8), null);
            assertEquals(100, result.get("spooled").asInt());
            assertEquals(3, spoolFiles(app).size(), "100 events in batches of 40");

            try (ElasticsearchServer elasticsearch = ElasticsearchServer.start("8.19.21", esPort)) {
                String status = "/api/v1/logs/uploads/" + result.get("upload_id").asText();
                String token = app.token("spooly");
                LogshipApp.await(Duration.ofSeconds(60), () -> {
                    try {
                        return LogshipApp.json(app.get(status, token)).get("spooled").asInt() == 0 && spoolFiles(app).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
                JsonNode after = LogshipApp.json(app.get(status, token));
                assertEquals(100, after.get("sent_elasticsearch").asInt());
                assertEquals(100, after.get("received").asInt());
                assertTrue(spoolFiles(app).isEmpty(), "a delivered batch leaves the spool");
                assertEquals(100, elasticsearch.count("logs-spooly-2024.06"));
                Set<Integer> seqs = new HashSet<>();
                LogshipApp.JSON.readTree(elasticsearch.get("/logs-spooly-2024.06/_search?size=200")).at("/hits/hits")
                        .forEach(hit -> seqs.add(hit.at("/_source/seq").asInt()));
                assertEquals(100, seqs.size(), "every event exactly once");
            }
        }
    }

    @Test
    void logstashBackOverTcpDrainsTheSpool() throws Exception {
        int port = ElasticsearchServer.freePort();
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(port), "logstash.max.retries", "0",
                "spool.replay.interval", "0.3")) {
            JsonNode result = app.uploadAndWait(app.token("later"), "application/x-ndjson",
                    ndjson(30).getBytes(StandardCharsets.UTF_8), null);
            assertEquals(30, result.get("spooled").asInt());
            try (LogstashListener logstash = LogstashListener.tcp(port)) {
                List<JsonNode> events = logstash.awaitEvents(30, Duration.ofSeconds(20));
                assertEquals(30, events.size());
                assertEquals(result.get("upload_id").asText(), events.get(0).get("upload_id").asText());
                LogshipApp.await(Duration.ofSeconds(10), () -> {
                    try {
                        return spoolFiles(app).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
                JsonNode after = LogshipApp.json(app.get("/api/v1/logs/uploads/" + result.get("upload_id").asText(),
                        app.token("later")));
                assertEquals(30, after.get("sent_logstash").asInt());
                assertEquals(0, after.get("spooled").asInt());
            }
        }
    }

    @Test
    void aFullSpoolRefusesNewUploadsWith503AndKeepsTheAcceptedOnes() throws Exception {
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(ElasticsearchServer.freePort()),
                "logstash.max.retries", "0", "spool.max.bytes", "100", "spool.replay.interval", "3600")) {
            String token = app.token("full");
            JsonNode first = app.uploadAndWait(token, "application/x-ndjson", ndjson(5).getBytes(StandardCharsets.UTF_8), null);
            assertEquals(5, first.get("spooled").asInt());

            HttpResponse<String> refused = app.upload(token, "application/x-ndjson", ndjson(1).getBytes(StandardCharsets.UTF_8), null);
            assertEquals(503, refused.statusCode());
            assertNotNull(refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("spool_full", LogshipApp.json(refused).get("error").asText());

            List<Path> files = spoolFiles(app);
            assertEquals(1, files.size());
            List<String> lines = Files.readAllLines(files.get(0));
            assertEquals(6, lines.size(), "a header line and the five documents");
            for (int i = 1; i <= 5; i++) {
                JsonNode doc = LogshipApp.JSON.readTree(lines.get(i));
                assertEquals(i, doc.get("seq").asInt());
                assertEquals(first.get("upload_id").asText() + "-" + i, doc.get("event_id").asText());
            }
        }
    }
}
