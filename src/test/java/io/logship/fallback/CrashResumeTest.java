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
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.auth.Authenticator;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logship is killed with SIGKILL in the middle of a large upload and started again on the same
 * DATA_DIR: the upload resumes from its last checkpoint, every line ends up in Elasticsearch, and
 * because event_id is the document id nothing is there twice.
 */
@Tag("elasticsearch")
class CrashResumeTest {

    private static final int EVENTS = 150_000;
    private static final String SECRET = "crash-test-secret-0123456789abcdef0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killedMidUploadResumesWithEveryLineOnceInElasticsearch() throws Exception {
        Path dataDir = Files.createTempDirectory("logship-crash-");
        int httpPort = ElasticsearchServer.freePort();
        String token = new Authenticator(SECRET).issue("crash", List.of(), Instant.now().plusSeconds(3600));
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start("8.19.21")) {
            Map<String, String> env = Map.of("HTTP_PORT", String.valueOf(httpPort), "DATA_DIR", dataDir.toString(),
                    "JWT_SECRET", SECRET, "USE_LOGSTASH", "false", "ELASTICSEARCH_HOSTS", elasticsearch.url(),
                    "ELASTICSEARCH_BULK_SIZE", "500");
            Process first = startLogship(env, dataDir.resolve("first.log"));
            String uploadId;
            try {
                awaitHttp(httpPort);
                StringBuilder body = new StringBuilder(EVENTS * 80);
                for (int i = 1; i <= EVENTS; i++) {
                    body.append("{\"@timestamp\":\"2024-08-01T00:00:00Z\",\"seq\":").append(i)
                            .append(",\"message\":\"event number ").append(i).append("\"}\n");
                }
                HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + httpPort + "/api/v1/logs/upload"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, accepted.statusCode(), accepted.body());
                uploadId = LogshipApp.JSON.readTree(accepted.body()).get("upload_id").asText();
                LogshipApp.await(Duration.ofSeconds(120), () -> elasticsearch.count("logs-crash-2024.08") >= EVENTS / 10);
            } finally {
                first.destroyForcibly().waitFor();
            }
            int atCrash = elasticsearch.count("logs-crash-2024.08");
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " indexed");

            Process second = startLogship(env, dataDir.resolve("second.log"));
            try {
                awaitHttp(httpPort);
                String status = "http://127.0.0.1:" + httpPort + "/api/v1/logs/uploads/" + uploadId;
                LogshipApp.await(Duration.ofSeconds(180), () -> "completed".equals(get(status, token).path("status").asText()));
                JsonNode result = get(status, token);
                assertEquals(EVENTS, result.get("received").asInt());
                assertEquals(EVENTS, result.get("sent_elasticsearch").asInt() + result.get("spooled").asInt()
                        + result.get("rejected").asInt() + result.get("sent_logstash").asInt());
                assertEquals(EVENTS, result.get("sent_elasticsearch").asInt());
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertEquals(EVENTS, elasticsearch.count("logs-crash-2024.08"), "every line once: no loss, no duplicate");
            JsonNode maxSeq = LogshipApp.JSON.readTree(elasticsearch.post("/logs-crash-2024.08/_search",
                    "{\"size\":0,\"aggs\":{\"distinct\":{\"cardinality\":{\"field\":\"seq\",\"precision_threshold\":40000}},"
                            + "\"max\":{\"max\":{\"field\":\"seq\"}}}}"));
            assertEquals(EVENTS, maxSeq.at("/aggregations/max/value").asInt());
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
