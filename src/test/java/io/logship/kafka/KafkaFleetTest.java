package io.logship.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two logship instances (own ports, own DATA_DIRs) on one broker behave as one service: uploads to either end in
 * the topic once each, and an upload's status answers on the other instance too, for its tenant only.
 */
class KafkaFleetTest {

    @Test
    void twoInstancesShareTheTopicAndTheUploadStatuses() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "fleet-" + UUID.randomUUID();
        String secret = "fleet-secret-" + UUID.randomUUID();
        String[] settings = {"kafka.bootstrap.servers", kafka.bootstrapServers(), "kafka.topic", topic,
                "kafka.status.topic", "fleet-statuses-" + UUID.randomUUID(), "jwt.secret", secret};
        try (LogshipApp first = LogshipApp.start(settings); LogshipApp second = LogshipApp.start(settings)) {
            String acme = first.token("acme");
            JsonNode one = first.uploadAndWait(acme, "text/plain", lines("first", 2_000), null);
            JsonNode two = second.uploadAndWait(acme, "text/plain", lines("second", 1_500), null);
            assertEquals(2_000, one.get("sent_kafka").asInt());
            assertEquals(1_500, two.get("sent_kafka").asInt());

            Set<String> ids = new HashSet<>();
            List<ConsumerRecord<String, String>> records = kafka.readAll(topic);
            for (ConsumerRecord<String, String> record : records) {
                assertTrue(ids.add(LogshipApp.JSON.readTree(record.value()).get("event_id").asText()), record.value());
            }
            assertEquals(3_500, records.size(), "every event of both instances once");

            // each instance answers for the other's upload, with the owner's final counts
            for (Object[] pair : List.of(new Object[] {second, one}, new Object[] {first, two})) {
                LogshipApp other = (LogshipApp) pair[0];
                JsonNode upload = (JsonNode) pair[1];
                String path = "/api/v1/logs/uploads/" + upload.get("upload_id").asText();
                LogshipApp.await(Duration.ofSeconds(30), () -> completed(other, path, acme));
                JsonNode status = LogshipApp.json(other.get(path, acme));
                assertEquals(upload.get("received").asInt(), status.get("received").asInt(), status.toString());
                assertEquals(upload.get("sent_kafka").asInt(), status.get("sent_kafka").asInt(), status.toString());
                assertTrue(!status.has("tenant_id"), status.toString());

                String globex = other.token("globex");
                var refused = other.get(path, globex);
                assertEquals(404, refused.statusCode(), "another tenant: " + refused.body());
                assertEquals("not_found", LogshipApp.json(refused).get("error").asText());
            }
            assertEquals(404, second.get("/api/v1/logs/uploads/" + UUID.randomUUID().toString().replace("-", ""),
                    acme).statusCode());
        }
    }

    private static boolean completed(LogshipApp app, String path, String token) {
        try {
            var response = app.get(path, token);
            return response.statusCode() == 200 && "completed".equals(LogshipApp.json(response).get("status").asText());
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] lines(String prefix, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(prefix).append(" line ").append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
