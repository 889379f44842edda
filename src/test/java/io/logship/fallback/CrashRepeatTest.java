package io.logship.fallback;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogshipProcess;
import io.logship.testing.LogstashListener;
import io.logship.testing.UploadCounts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a crash repeats, over TCP: logship is killed with SIGKILL while it ships a large upload to a real listener
 * and started again on the same DATA_DIR. Every event arrives; at most one upload batch (UPLOAD_BATCH_SIZE events,
 * the batch in flight, shipped as frames of LOGSTASH_BATCH_SIZE) arrives twice; the killed connection leaves at most one cut line (Logstash's json_lines codec
 * tags it _jsonparsefailure); and the upload's counts say each event was sent once.
 */
class CrashRepeatTest {

    private static final int EVENTS = 200_000;
    private static final int BATCH = 100;
    /** the unit read, encoded and checkpointed together: what a crash may repeat */
    private static final int UPLOAD_BATCH = 500;

    @Test
    void aKilledProcessRepeatsAtMostTheBatchInFlight() throws Exception {
        try (LogstashListener logstash = LogstashListener.tcp();
             LogshipProcess logship = new LogshipProcess("crash", Map.of("LOGSTASH_PORT", String.valueOf(logstash.port()),
                     "LOGSTASH_BATCH_SIZE", String.valueOf(BATCH), "UPLOAD_BATCH_SIZE", String.valueOf(UPLOAD_BATCH)))) {
            logship.start();
            String uploadId = logship.upload(EVENTS, i -> "{\"seq\":" + i + ",\"message\":\"event number " + i + "\"}");
            LogshipApp.await(Duration.ofSeconds(120), () -> logstash.eventCount() >= EVENTS / 10);
            logship.kill();
            int atCrash = logstash.eventCount();
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " arrived");

            logship.start();
            JsonNode result = logship.awaitCompleted(uploadId, Duration.ofSeconds(180), UploadCounts::assertBalanced);
            UploadCounts.assertBalanced(result);
            assertEquals(EVENTS, result.get("received").asInt());
            assertEquals(EVENTS, result.get("sent_logstash").asInt(), "counted once, though some were written twice");

            logstash.awaitEvents(EVENTS, Duration.ofSeconds(30));
            Map<Integer, Integer> arrivals = new HashMap<>();
            for (JsonNode event : logstash.events()) {
                arrivals.merge(event.get("seq").asInt(), 1, Integer::sum);
            }
            assertEquals(EVENTS, arrivals.size(), "every event arrived");
            int repeated = logstash.eventCount() - EVENTS;
            assertTrue(repeated <= UPLOAD_BATCH, repeated + " events arrived twice; at most one upload batch ("
                    + UPLOAD_BATCH + ") may");
            assertTrue(logstash.undecodable().size() <= 1, "at most one cut line: " + logstash.undecodable());
            System.out.printf("CrashRepeatTest: %d of %d events had arrived at the kill; %d arrived twice; cut lines: %s%n",
                    atCrash, EVENTS, repeated, logstash.undecodable());
        }
    }
}
