package io.logship.kafka;

import static io.logship.testing.LogshipProcess.awaitHttp;
import static io.logship.testing.LogshipProcess.get;
import static io.logship.testing.LogshipProcess.startLogship;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.auth.Authenticator;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A logship process is killed with SIGKILL in the middle of an upload to Kafka and started again on the same
 * DATA_DIR: every line ends up in the topic, and the only duplicates are the batches sent after the last saved
 * checkpoint (one contiguous run of lines, each twice at most).
 */
class KafkaCrashTest {

    private static final int EVENTS = 100_000;
    private static final String SECRET = "kafka-crash-secret-0123456789abcdef0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killedMidUploadResumesWithEveryLineInTheTopic() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "crash-" + UUID.randomUUID();
        Path dataDir = Files.createTempDirectory("logship-kafka-crash-");
        int httpPort = ElasticsearchServer.freePort();
        String token = new Authenticator(SECRET).issue("crash", List.of(), Instant.now().plusSeconds(3600));
        Map<String, String> env = Map.of("HTTP_PORT", String.valueOf(httpPort), "DATA_DIR", dataDir.toString(),
                "JWT_SECRET", SECRET, "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TOPIC", topic,
                "KAFKA_STATUS_TOPIC", "statuses-" + UUID.randomUUID(), "LOGSTASH_BATCH_SIZE", "100");
        String status = "http://127.0.0.1:" + httpPort + "/api/v1/logs/uploads/";
        try {
            Process first = startLogship(env, dataDir.resolve("first.log"));
            String uploadId;
            try {
                awaitHttp(httpPort);
                StringBuilder body = new StringBuilder(EVENTS * 40);
                for (int i = 1; i <= EVENTS; i++) {
                    body.append("{\"seq\":").append(i).append(",\"message\":\"event ").append(i).append("\"}\n");
                }
                HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + httpPort + "/api/v1/logs/upload"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, accepted.statusCode(), accepted.body());
                uploadId = LogshipApp.JSON.readTree(accepted.body()).get("upload_id").asText();
                String path = status + uploadId;
                LogshipApp.await(Duration.ofSeconds(120), () -> get(path, token).path("sent_kafka").asInt() >= 5_000);
            } finally {
                first.destroyForcibly().waitFor();
            }
            int atCrash = kafka.readAll(topic).size();
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " in the topic");

            Process second = startLogship(env, dataDir.resolve("second.log"));
            try {
                awaitHttp(httpPort);
                String path = status + uploadId;
                LogshipApp.await(Duration.ofSeconds(180), () -> "completed".equals(get(path, token).path("status").asText()));
                JsonNode result = get(path, token);
                assertEquals(EVENTS, result.get("received").asInt(), result.toString());
                assertEquals(EVENTS, result.get("sent_kafka").asInt(), result.toString());
            } finally {
                second.destroy();
                second.waitFor();
            }

            Map<Long, Integer> copies = new HashMap<>();
            for (ConsumerRecord<String, String> record : kafka.readAll(topic)) {
                copies.merge(LogshipApp.JSON.readTree(record.value()).get("seq").asLong(), 1, Integer::sum);
            }
            assertEquals(EVENTS, copies.size(), "every line in the topic");
            List<Long> twice = new ArrayList<>();
            copies.forEach((seq, n) -> {
                assertTrue(n <= 2, "line " + seq + " " + n + " times");
                if (n == 2) {
                    twice.add(seq);
                }
            });
            twice.sort(Long::compare);
            if (!twice.isEmpty()) {
                // the batches between the last saved checkpoint and the kill, sent again after the restart
                assertEquals(twice.get(twice.size() - 1) - twice.get(0) + 1, twice.size(), "one contiguous run: " + twice.get(0)
                        + ".." + twice.get(twice.size() - 1) + " with " + twice.size() + " lines");
                assertTrue(twice.get(0) <= atCrash + 1, "only lines sent before the kill are repeated");
            }
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
