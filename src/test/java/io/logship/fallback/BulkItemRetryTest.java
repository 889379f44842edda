package io.logship.fallback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Bulk answer can succeed while items fail. A real single node does not refuse items for load on
 * demand, so an HTTP server speaking the Bulk API stands in: the first request has one item refused
 * with 429, and only that item may come again.
 */
class BulkItemRetryTest {

    private static final byte[] THREE_EVENTS = ("{\"@timestamp\":\"2024-05-01T00:00:00Z\",\"n\":1}\n"
            + "{\"@timestamp\":\"2024-05-01T00:00:00Z\",\"n\":2}\n"
            + "{\"@timestamp\":\"2024-05-01T00:00:00Z\",\"n\":3}\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void onlyTheItemsRefusedForLoadAreSentAgainAndNothingIsCountedTwice() throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer elasticsearch = stub(requests, calls, false, 429);
        String url = "http://127.0.0.1:" + elasticsearch.getAddress().getPort();
        try (LogshipApp app = LogshipApp.start("use.logstash", "false", "elasticsearch.hosts", url,
                "elasticsearch.retry.delay", "0.05")) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", THREE_EVENTS, null);
            String id = result.get("upload_id").asText();
            assertEquals(List.of(List.of(id + "-1", id + "-2", id + "-3"), List.of(id + "-2")), requests,
                    "the second request carries only the item refused with 429");
            assertEquals(3, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt() + result.get("rejected").asInt(), result.toString());
            JsonNode statistics = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor", app.token("ops", "admin")))
                    .get("statistics");
            assertTrue(statistics.toString().contains("\"sent_elasticsearch\":3"), statistics.toString());
        } finally {
            elasticsearch.stop(0);
        }
    }

    @Test
    void anItemStillRefusedAfterEveryRedeliveryIsSpooledAloneAndTheCountsAddUp() throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        HttpServer elasticsearch = stub(requests, new AtomicInteger(), true, 429);
        String url = "http://127.0.0.1:" + elasticsearch.getAddress().getPort();
        try (LogshipApp app = LogshipApp.start("use.logstash", "false", "elasticsearch.hosts", url,
                "elasticsearch.max.retries", "2", "elasticsearch.retry.delay", "0.05", "spool.replay.interval", "3600")) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", THREE_EVENTS, null);
            String id = result.get("upload_id").asText();
            assertEquals(List.of(List.of(id + "-1", id + "-2", id + "-3"), List.of(id + "-2"), List.of(id + "-2")), requests);
            assertEquals(2, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(1, result.get("spooled").asInt(), result.toString());
            java.nio.file.Path spooled;
            try (var files = java.nio.file.Files.list(app.dataDir().resolve("spool"))) {
                spooled = files.filter(f -> f.toString().endsWith(".ndjson")).findFirst().orElseThrow();
            }
            List<String> lines = java.nio.file.Files.readAllLines(spooled);
            assertEquals(2, lines.size(), "a header and the one document still to deliver");
            assertEquals(id + "-2", LogshipApp.JSON.readTree(lines.get(1)).get("event_id").asText());
        } finally {
            elasticsearch.stop(0);
        }
    }

    /**
     * A role that may not write a document (403, e.g. a data stream it may not create) is fixed by an operator, and
     * the document then delivered from the spool: it is not refused for good, so it goes to the spool, not the dead letters.
     */
    @Test
    void anItemRefusedForLackOfPrivilegeIsSpooledNotDeadLettered() throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        HttpServer elasticsearch = stub(requests, new AtomicInteger(), true, 403);
        String url = "http://127.0.0.1:" + elasticsearch.getAddress().getPort();
        try (LogshipApp app = LogshipApp.start("use.logstash", "false", "elasticsearch.hosts", url,
                "elasticsearch.max.retries", "1", "elasticsearch.retry.delay", "0.05", "spool.replay.interval", "3600")) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", THREE_EVENTS, null);
            assertEquals(2, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(1, result.get("spooled").asInt(), result.toString());
            assertEquals(0, result.get("rejected").asInt(), result.toString());
            assertEquals(2, requests.size(), "the refused item was tried again");
        } finally {
            elasticsearch.stop(0);
        }
    }

    /** Answers Bulk requests; the second item is refused with this status on the first call, or on every call. */
    private static HttpServer stub(List<List<String>> requests, AtomicInteger calls, boolean alwaysBusy, int refusal)
            throws IOException {
        HttpServer elasticsearch = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elasticsearch.createContext("/_bulk", exchange -> {
            List<String> ids = new ArrayList<>();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                JsonNode action = LogshipApp.JSON.readTree(line);
                if (action.has("create")) {
                    ids.add(action.at("/create/_id").asText());
                }
            }
            requests.add(ids);
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < ids.size(); i++) {
                boolean busy = (alwaysBusy || calls.get() == 0) && ids.get(i).endsWith("-2");
                items.append(i == 0 ? "" : ",").append("{\"create\":{\"_index\":\"logs-acme-2024.05\",\"_id\":\"")
                        .append(ids.get(i)).append("\",\"status\":").append(busy ? refusal : 201)
                        .append(busy ? ",\"error\":{\"type\":\"" + (refusal == 403 ? "security_exception" : "es_rejected_execution_exception")
                                + "\",\"reason\":\"refused\"}}}"
                                : ",\"result\":\"created\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,"
                                + "\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}}");
            }
            calls.incrementAndGet();
            answer(exchange, "{\"took\":1,\"errors\":true,\"items\":[" + items + "]}");
        });
        elasticsearch.start();
        return elasticsearch;
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.elasticsearch+json; compatible-with=8");
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
