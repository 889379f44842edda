package io.logship.ship;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spooled batch that Logstash's http input refuses (401: logship has the wrong password) does not hold up the
 * spool: the replay hands it to Elasticsearch (here an HTTP server speaking the Bulk API) instead of trying
 * Logstash again on every tick.
 */
class LogstashHttpRefusedReplayTest {

    @Test
    void aBatchLogstashRefusesOnReplayGoesToElasticsearch() throws Exception {
        AtomicBoolean elasticsearchUp = new AtomicBoolean(false);
        List<String> indexed = new CopyOnWriteArrayList<>();
        HttpServer elasticsearch = bulkApi(elasticsearchUp, indexed);
        int logstashPort;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            logstashPort = probe.getLocalPort();
        }
        try (LogshipApp app = LogshipApp.start(Map.of("logstash.protocol", "http",
                "logstash.port", String.valueOf(logstashPort), "logstash.user", "logship", "logstash.password", "wrong",
                "logstash.max.retries", "1", "elasticsearch.hosts", "http://127.0.0.1:" + elasticsearch.getAddress().getPort(),
                "elasticsearch.max.retries", "1", "elasticsearch.retry.delay", "0.05", "spool.replay.interval", "0.5"))) {
            // Logstash down, Elasticsearch failing: the batch waits in the spool
            JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("x\ny\nz\n"), null);
            String uploadId = result.get("upload_id").asText();
            assertEquals(3, result.get("spooled").asInt(), result.toString());

            try (LogstashHttpInput logstash = LogstashHttpInput.start(logstashPort,
                    new LogstashHttpInput.Options().basicAuth("logship", "right"))) {
                LogshipApp.await(Duration.ofSeconds(30), () -> logstash.requests().stream().anyMatch(r -> r.status() == 401));
                elasticsearchUp.set(true);
                LogshipApp.await(Duration.ofSeconds(60), () -> spoolEmpty(app));
                JsonNode status = LogshipApp.json(app.get("/api/v1/logs/uploads/" + uploadId, app.token("acme")));
                assertEquals(3, status.get("sent_elasticsearch").asInt(), status.toString());
                assertEquals(0, status.get("sent_logstash").asInt());
                assertEquals(0, status.get("spooled").asInt());
                assertEquals(List.of(uploadId + "-1", uploadId + "-2", uploadId + "-3"), indexed);
                assertEquals(0, logstash.eventCount());
            }
        } finally {
            elasticsearch.stop(0);
        }
    }

    private static boolean spoolEmpty(LogshipApp app) {
        try (Stream<Path> files = Files.list(app.dataDir().resolve("spool"))) {
            return files.noneMatch(f -> f.toString().endsWith(".ndjson"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Bulk API: 503 while {@code up} is false, then every item created. */
    private static HttpServer bulkApi(AtomicBoolean up, List<String> indexed) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer;
            int status;
            if (!exchange.getRequestURI().getPath().endsWith("/_bulk")) {
                status = 200;
                answer = "{\"status\":\"green\"}".getBytes(StandardCharsets.UTF_8);
            } else if (!up.get()) {
                status = 503;
                answer = "{\"error\":\"unavailable\",\"status\":503}".getBytes(StandardCharsets.UTF_8);
            } else {
                List<String> ids = new ArrayList<>();
                for (String line : body.split("\n")) {
                    JsonNode action = LogshipApp.JSON.readTree(line);
                    if (action.has("create")) {
                        ids.add(action.at("/create/_id").asText());
                    }
                }
                StringBuilder items = new StringBuilder();
                for (int i = 0; i < ids.size(); i++) {
                    items.append(i == 0 ? "" : ",").append("{\"create\":{\"_index\":\"logs-acme-2026.12\",\"_id\":\"")
                            .append(ids.get(i)).append("\",\"status\":201,\"result\":\"created\",\"_version\":1,\"_seq_no\":0,"
                                    + "\"_primary_term\":1,\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}}");
                }
                indexed.addAll(ids);
                status = 200;
                answer = ("{\"took\":1,\"errors\":false,\"items\":[" + items + "]}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.elasticsearch+json; compatible-with=8");
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }
}
