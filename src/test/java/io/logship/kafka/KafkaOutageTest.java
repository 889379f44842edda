package io.logship.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker is stopped in the middle of an upload and started again: nothing is lost. Without Elasticsearch the
 * outage's batches wait in the spool and are replayed into Kafka; with Elasticsearch they are indexed there under
 * their event_id. Either way every line is delivered at least once and the upload's counts add up.
 */
class KafkaOutageTest {

    private static final int EVENTS = 40_000;

    @Test
    void outageBatchesAreSpooledAndReplayedIntoKafka() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "outage-" + UUID.randomUUID();
        try (LogshipApp app = LogshipApp.start(settings(kafka, topic, null))) {
            String token = app.token("outage");
            JsonNode status = uploadThroughAnOutage(app, kafka, token, "spooled");
            assertEquals(EVENTS, status.get("received").asInt());
            assertEquals(EVENTS, status.get("sent_kafka").asInt(), "the spool replayed into Kafka: " + status);
            assertEquals(0, status.get("spooled").asInt());
            assertEquals(0, status.get("sent_elasticsearch").asInt());
            Set<Long> seen = linesInTopic(kafka, topic, status.get("upload_id").asText());
            assertEquals(EVENTS, seen.size(), "every line at least once");
        }
    }

    @Tag("elasticsearch")
    @Test
    void withElasticsearchTheOutageBatchesAreIndexedUnderTheirEventId() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "outage-es-" + UUID.randomUUID();
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start("8.19.21");
             LogshipApp app = LogshipApp.start(settings(kafka, topic, elasticsearch.url()))) {
            String token = app.token("outage");
            JsonNode status = uploadThroughAnOutage(app, kafka, token, "sent_elasticsearch");
            int inKafka = status.get("sent_kafka").asInt();
            int inElasticsearch = status.get("sent_elasticsearch").asInt();
            assertEquals(EVENTS, inKafka + inElasticsearch, "counts add up: " + status);
            assertEquals(0, status.get("spooled").asInt());
            assertTrue(inElasticsearch > 0, status.toString());

            String uploadId = status.get("upload_id").asText();
            Set<Long> seen = linesInTopic(kafka, topic, uploadId);
            assertEquals(inElasticsearch, elasticsearch.count("logs-outage-*"));
            JsonNode hits = LogshipApp.JSON.readTree(elasticsearch.post("/logs-outage-*/_search",
                    "{\"size\":10000,\"_source\":[\"event_id\"],\"query\":{\"match_all\":{}}}")).at("/hits/hits");
            for (JsonNode hit : hits) {
                assertEquals(hit.get("_id").asText(), hit.at("/_source/event_id").asText(), "_id = event_id");
                seen.add(Long.parseLong(hit.get("_id").asText().substring(uploadId.length() + 1)));
            }
            assertEquals(EVENTS, seen.size(), "every line in Kafka or Elasticsearch");
        }
    }

    private static Map<String, String> settings(KafkaBroker kafka, String topic, String elasticsearch) {
        Map<String, String> settings = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.topic", topic, "kafka.status.topic", "statuses-" + UUID.randomUUID(), "kafka.timeout", "3",
                // small batches: the upload is still running when the broker goes
                "logstash.batch.size", "20", "logstash.max.retries", "1", "logstash.retry.delay", "0.1",
                "spool.replay.interval", "1"));
        if (elasticsearch != null) {
            settings.put("elasticsearch.hosts", elasticsearch);
        }
        return settings;
    }

    /** Uploads, stops the broker once part is in Kafka, starts it again once the fallback took batches. */
    private static JsonNode uploadThroughAnOutage(LogshipApp app, KafkaBroker kafka, String token, String fallbackCount)
            throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= EVENTS; i++) {
            body.append("{\"@timestamp\":\"2024-09-01T00:00:00Z\",\"seq\":").append(i).append("}\n");
        }
        var accepted = app.upload(token, "application/x-ndjson", body.toString().getBytes(StandardCharsets.UTF_8), null);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String path = "/api/v1/logs/uploads/" + LogshipApp.json(accepted).get("upload_id").asText();
        try {
            LogshipApp.await(Duration.ofSeconds(120), () -> count(app, path, token, "sent_kafka") >= 1_000);
            kafka.stop();
            assertTrue(!"completed".equals(status(app, path, token).path("status").asText()), "stopped mid-upload");
            LogshipApp.await(Duration.ofSeconds(120), () -> count(app, path, token, fallbackCount) >= 40);
        } finally {
            kafka.start();
        }
        LogshipApp.await(Duration.ofSeconds(300), () -> {
            JsonNode status = status(app, path, token);
            return "completed".equals(status.path("status").asText()) && status.path("spooled").asInt() == 0;
        });
        return status(app, path, token);
    }

    private static Set<Long> linesInTopic(KafkaBroker kafka, String topic, String uploadId) throws Exception {
        Set<Long> lines = new HashSet<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(topic)) {
            JsonNode event = LogshipApp.JSON.readTree(record.value());
            assertEquals("outage", record.key());
            lines.add(Long.parseLong(event.get("event_id").asText().substring(uploadId.length() + 1)));
        }
        return lines;
    }

    private static int count(LogshipApp app, String path, String token, String field) {
        return status(app, path, token).path(field).asInt();
    }

    private static JsonNode status(LogshipApp app, String path, String token) {
        try {
            return LogshipApp.json(app.get(path, token));
        } catch (Exception e) {
            return LogshipApp.JSON.createObjectNode();
        }
    }
}
