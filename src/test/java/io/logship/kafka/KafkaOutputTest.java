package io.logship.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import io.logship.testing.Scrape;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With KAFKA_BOOTSTRAP_SERVERS, uploads go to a real Kafka broker: one record per event, keyed by tenant, the
 * event's JSON as the value; a consumer reads every event exactly once. Health, metrics and the monitor show it.
 */
class KafkaOutputTest {

    static KafkaBroker kafka;
    static LogshipApp app;
    static String topic;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.shared();
        topic = "logs-" + UUID.randomUUID();
        app = LogshipApp.start("kafka.bootstrap.servers", kafka.bootstrapServers(), "kafka.topic", topic,
                "kafka.status.topic", "statuses-" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Test
    void everyEventReachesTheTopicOnceKeyedByTenantWithTheContractsFields() throws Exception {
        int ndjsonEvents = 5_000;
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= ndjsonEvents; i++) {
            ndjson.append("{\"@timestamp\":\"2024-08-01T10:00:00Z\",\"level\":\"warning\",\"seq\":").append(i)
                    .append(",\"message\":\"event ").append(i).append("\"}\n");
        }
        int textEvents = 1_000;
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= textEvents; i++) {
            text.append("plain line ").append(i).append('\n');
        }
        JsonNode acme = app.uploadAndWait(app.token("acme"), "application/x-ndjson",
                ndjson.toString().getBytes(StandardCharsets.UTF_8), "source=gen&environment=prod");
        JsonNode globex = app.uploadAndWait(app.token("globex"), "text/plain",
                text.toString().getBytes(StandardCharsets.UTF_8), "source=app.log");
        for (JsonNode result : List.of(acme, globex)) {
            assertEquals("completed", result.get("status").asText(), result.toString());
            assertEquals(result.get("received").asInt(), result.get("sent_kafka").asInt(), result.toString());
            assertEquals(0, result.get("sent_logstash").asInt());
            assertEquals(0, result.get("spooled").asInt());
        }

        java.util.Set<String> uploads = java.util.Set.of(acme.get("upload_id").asText(), globex.get("upload_id").asText());
        List<ConsumerRecord<String, String>> records = kafka.readAll(topic).stream()
                .filter(r -> uploads.stream().anyMatch(r.value()::contains)).toList();
        assertEquals(ndjsonEvents + textEvents, records.size(), "no record twice, none missing");
        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, Integer> partitionOfTenant = new HashMap<>();
        Map<String, Long> lastLineInPartition = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = LogshipApp.JSON.readTree(record.value());
            assertTrue(byId.put(event.get("event_id").asText(), event) == null, "twice: " + record.value());
            assertEquals(event.get("tenant_id").asText(), record.key(), "keyed by tenant");
            for (String field : List.of("@timestamp", "tenant_id", "source", "upload_id", "event_id", "ingested_at", "message")) {
                assertTrue(event.hasNonNull(field), field + " in " + record.value());
            }
            // a tenant's events share a partition, in upload order
            Integer partition = partitionOfTenant.putIfAbsent(record.key(), record.partition());
            assertEquals(partition == null ? record.partition() : partition, record.partition());
            long line = Long.parseLong(event.get("event_id").asText().substring(event.get("upload_id").asText().length() + 1));
            Long previous = lastLineInPartition.put(record.key(), line);
            assertTrue(previous == null || previous < line, "in order within the partition");
        }
        String acmeId = acme.get("upload_id").asText();
        for (int i = 1; i <= ndjsonEvents; i++) {
            JsonNode event = byId.get(acmeId + "-" + i);
            assertNotNull(event, "line " + i);
            assertEquals(i, event.get("seq").asInt());
            assertEquals("WARN", event.get("level").asText());
            assertEquals("2024-08-01T10:00:00.000Z", event.get("@timestamp").asText());
            assertEquals("acme", event.get("tenant_id").asText());
            assertEquals("gen", event.get("source").asText());
            assertEquals("prod", event.get("environment").asText());
        }
        String globexId = globex.get("upload_id").asText();
        for (int i = 1; i <= textEvents; i++) {
            JsonNode event = byId.get(globexId + "-" + i);
            assertEquals("plain line " + i, event.get("message").asText());
            assertEquals("globex", event.get("tenant_id").asText());
        }
    }

    @Test
    void healthMetricsAndTheMonitorShowTheKafkaSink() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("initech"), "text/plain",
                "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(3, result.get("sent_kafka").asInt());

        JsonNode monitor = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")));
        JsonNode sink = monitor.get("kafka");
        assertTrue(sink.get("enabled").asBoolean(), monitor.toString());
        assertTrue(sink.get("connected").asBoolean(), monitor.toString());
        assertEquals(topic, sink.get("topic").asText());
        assertTrue(sink.get("records_acknowledged").asLong() >= 3, sink.toString());
        assertEquals(0, sink.get("errors").asLong(), sink.toString());

        JsonNode check = null;
        for (JsonNode c : LogshipApp.json(app.get("/observe/health", null)).path("checks")) {
            if ("kafka".equals(c.path("name").asText())) {
                check = c;
            }
        }
        assertNotNull(check, "a kafka health check");
        assertEquals("UP", check.path("status").asText(), check.toString());

        Scrape metrics = Scrape.of(app);
        assertTrue(metrics.value("logship_events_sent_total", "sink", "kafka") >= 3);
        assertEquals(1, metrics.value("logship_kafka_up"));
    }
}
