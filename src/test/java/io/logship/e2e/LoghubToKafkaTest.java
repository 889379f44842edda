package io.logship.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The 32,000 loghub events (shared/data) through a real Kafka broker: a consumer reads every one exactly once. */
class LoghubToKafkaTest {

    @Test
    void everyLoghubEventIsInTheTopicOnceKeyedByTenant() throws Exception {
        Path file = Events.sharedFile("loghub.ndjson");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "loghub-" + UUID.randomUUID();
        try (LogshipApp app = LogshipApp.start("kafka.bootstrap.servers", kafka.bootstrapServers(), "kafka.topic", topic,
                "kafka.status.topic", "statuses-" + UUID.randomUUID())) {
            JsonNode result = app.uploadAndWait(app.token("loghub"), "application/x-ndjson", Files.readAllBytes(file),
                    "source=loghub&environment=test");
            assertEquals("completed", result.get("status").asText());
            assertEquals(lines.size(), result.get("received").asInt());
            assertEquals(lines.size(), result.get("sent_kafka").asInt());
            String uploadId = result.get("upload_id").asText();

            List<ConsumerRecord<String, String>> records = kafka.readAll(topic);
            assertEquals(lines.size(), records.size(), "every event once");
            Map<String, JsonNode> byId = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                assertEquals("loghub", record.key());
                JsonNode event = LogshipApp.JSON.readTree(record.value());
                assertNull(byId.put(event.get("event_id").asText(), event), () -> "twice: " + record.value());
            }
            for (int i = 0; i < lines.size(); i++) {
                JsonNode event = byId.get(uploadId + "-" + (i + 1));
                int number = i + 1;
                assertNotNull(event, () -> "line " + number + " is not in the topic");
                LoghubExpectations.assertEvent(LogshipApp.JSON.readTree(lines.get(i)), event);
                assertEquals("loghub", event.get("tenant_id").asText());
                assertEquals("loghub", event.get("source").asText());
                assertEquals("test", event.get("environment").asText());
                assertEquals(uploadId, event.get("upload_id").asText());
                assertNotNull(event.get("ingested_at"));
            }
        }
    }
}
