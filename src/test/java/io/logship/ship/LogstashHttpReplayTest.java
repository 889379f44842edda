package io.logship.ship;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logstash's http input is down: the batch is spooled. It comes back busy (429) for the first replay attempts: the
 * spool file stays until a 2xx, then it is deleted and the upload's events count as acknowledged.
 */
class LogstashHttpReplayTest {

    @Test
    void aSpooledBatchIsDeletedOnlyAfterLogstashAcknowledgedIt() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (LogshipApp app = LogshipApp.start(Map.of("logstash.protocol", "http", "logstash.port", String.valueOf(port),
                "logstash.max.retries", "1", "spool.replay.interval", "0.5"))) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("a\nb\nc\nd\ne\n"), null);
            String uploadId = result.get("upload_id").asText();
            assertEquals(5, result.get("spooled").asInt(), result.toString());
            assertEquals(0, result.get("sent_logstash").asInt());

            try (LogstashHttpInput logstash = LogstashHttpInput.start(port, new LogstashHttpInput.Options())) {
                logstash.busyFor(3);
                LogshipApp.await(Duration.ofSeconds(60), () -> spoolEmpty(app));
                long busy = logstash.requests().stream().filter(r -> r.status() == 429).count();
                assertEquals(3, busy, "the replays Logstash answered 429 kept the file");
                assertEquals(5, logstash.eventCount());
                JsonNode status = LogshipApp.json(app.get("/api/v1/logs/uploads/" + uploadId, app.token("acme")));
                assertEquals(5, status.get("acknowledged_logstash").asInt(), status.toString());
                assertEquals(0, status.get("spooled").asInt(), status.toString());
                assertTrue(logstash.requests().get(logstash.requests().size() - 1).status() == 200);
            }
        }
    }

    private static boolean spoolEmpty(LogshipApp app) {
        try (Stream<Path> files = Files.list(app.dataDir().resolve("spool"))) {
            return files.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
