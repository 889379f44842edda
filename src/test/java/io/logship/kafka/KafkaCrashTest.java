package io.logship.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.KafkaBroker;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogshipProcess;
import io.logship.testing.UploadCounts;
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

    @Test
    void killedMidUploadResumesWithEveryLineInTheTopic() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "crash-" + UUID.randomUUID();
        try (LogshipProcess logship = new LogshipProcess("crash", Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", topic, "KAFKA_STATUS_TOPIC", "statuses-" + UUID.randomUUID(), "LOGSTASH_BATCH_SIZE", "100"))) {
            logship.start();
            String uploadId = logship.upload(EVENTS, i -> "{\"seq\":" + i + ",\"message\":\"event " + i + "\"}");
            LogshipApp.await(Duration.ofSeconds(120), () -> logship.status(uploadId).path("sent_kafka").asInt() >= 5_000);
            logship.kill();
            int atCrash = kafka.readAll(topic).size();
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " in the topic");

            logship.start();
            JsonNode result = logship.awaitCompleted(uploadId, Duration.ofSeconds(180), UploadCounts::assertBalanced);
            assertEquals(EVENTS, result.get("received").asInt(), result.toString());
            assertEquals(EVENTS, result.get("sent_kafka").asInt(), result.toString());

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
        }
    }
}
