package io.logship.fallback;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.auth.Authenticator;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
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
    private static final String SECRET = "crash-repeat-secret-0123456789abcdef0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aKilledProcessRepeatsAtMostTheBatchInFlight() throws Exception {
        Path dataDir = Files.createTempDirectory("logship-crash-repeat-");
        int httpPort = ElasticsearchServer.freePort();
        String token = new Authenticator(SECRET).issue("crash", List.of(), Instant.now().plusSeconds(3600));
        try (LogstashListener logstash = LogstashListener.tcp()) {
            Map<String, String> env = Map.of("HTTP_PORT", String.valueOf(httpPort), "DATA_DIR", dataDir.toString(),
                    "JWT_SECRET", SECRET, "LOGSTASH_PORT", String.valueOf(logstash.port()),
                    "LOGSTASH_BATCH_SIZE", String.valueOf(BATCH), "UPLOAD_BATCH_SIZE", String.valueOf(UPLOAD_BATCH));
            Process first = startLogship(env, dataDir.resolve("first.log"));
            String uploadId;
            try {
                awaitHttp(httpPort);
                StringBuilder body = new StringBuilder(EVENTS * 60);
                for (int i = 1; i <= EVENTS; i++) {
                    body.append("{\"seq\":").append(i).append(",\"message\":\"event number ").append(i).append("\"}\n");
                }
                HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + httpPort + "/api/v1/logs/upload"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, accepted.statusCode(), accepted.body());
                uploadId = LogshipApp.JSON.readTree(accepted.body()).get("upload_id").asText();
                LogshipApp.await(Duration.ofSeconds(120), () -> logstash.eventCount() >= EVENTS / 10);
            } finally {
                first.destroyForcibly().waitFor();     // SIGKILL
            }
            int atCrash = logstash.eventCount();
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " arrived");

            Process second = startLogship(env, dataDir.resolve("second.log"));
            try {
                awaitHttp(httpPort);
                String status = "http://127.0.0.1:" + httpPort + "/api/v1/logs/uploads/" + uploadId;
                LogshipApp.await(Duration.ofSeconds(180), () -> {
                    JsonNode now = get(status, token);
                    if (now.has("received")) {
                        UploadCounts.assertBalanced(now);
                    }
                    return "completed".equals(now.path("status").asText());
                });
                JsonNode result = get(status, token);
                UploadCounts.assertBalanced(result);
                assertEquals(EVENTS, result.get("received").asInt());
                assertEquals(EVENTS, result.get("sent_logstash").asInt(), "counted once, though some were written twice");
            } finally {
                second.destroy();
                second.waitFor();
            }
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
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
