package io.logship.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.logship.testing.LogshipApp;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code elasticsearch} check asks {@code /_cluster/health} over HTTP with the component's client (here a
 * stand-in server answering as Elasticsearch does); with HEALTH_READINESS_SINKS=true the sinks decide readiness;
 * MANAGEMENT_PORT serves /observe apart from the API.
 */
class SinkHealthTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void elasticsearchStatesAndSinksInReadiness() throws Exception {
        AtomicReference<String> clusterStatus = new AtomicReference<>("yellow");
        AtomicReference<String> accept = new AtomicReference<>();
        HttpServer elasticsearch = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elasticsearch.createContext("/_cluster/health", exchange -> {
            accept.set(exchange.getRequestHeaders().getFirst("Accept"));
            byte[] body = ("{\"cluster_name\":\"logs\",\"status\":\"" + clusterStatus.get() + "\",\"number_of_nodes\":1}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elasticsearch.start();
        int esPort = elasticsearch.getAddress().getPort();
        int managementPort = AvailablePortFinder.getNextAvailable();
        try (LogshipApp app = LogshipApp.start("elasticsearch.hosts", "http://127.0.0.1:" + esPort,
                "logstash.port", String.valueOf(closedPort()), "health.readiness.sinks", "true",
                "management.port", String.valueOf(managementPort))) {
            // MANAGEMENT_PORT moves /observe off the API's port
            assertEquals(404, app.get("/observe/health", null).statusCode());
            String management = "http://127.0.0.1:" + managementPort;
            assertTrue(HTTP.send(HttpRequest.newBuilder(URI.create(management + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("logship_events_received_total"));
            JsonNode es = HealthTest.find(get(management + "/observe/health?data=true"), "elasticsearch");
            assertEquals("UP", es.path("status").asText(), es.toString());
            assertEquals("Elasticsearch cluster logs is yellow", es.path("message").asText());
            assertEquals("yellow", es.at("/data/cluster_status").asText());
            assertTrue(accept.get().contains("compatible-with=8"), "the component's client, with its headers: " + accept.get());

            // Logstash is down and counts for readiness here
            HttpResponse<String> readiness = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, readiness.statusCode());
            JsonNode ready = LogshipApp.JSON.readTree(readiness.body());
            assertEquals("DOWN", HealthTest.find(ready, "logstash").path("status").asText());
            assertEquals("UP", HealthTest.find(ready, "elasticsearch").path("status").asText());

            clusterStatus.set("red");
            es = HealthTest.find(get(management + "/observe/health"), "elasticsearch");
            assertEquals("DOWN", es.path("status").asText());
            assertEquals("Elasticsearch cluster logs is red", es.path("message").asText());

            elasticsearch.stop(0);
            es = HealthTest.find(get(management + "/observe/health"), "elasticsearch");
            assertEquals("DOWN", es.path("status").asText());
            assertTrue(es.path("message").asText().startsWith("Elasticsearch 127.0.0.1:" + esPort + " is not reachable"),
                    es.toString());
        } finally {
            elasticsearch.stop(0);
        }
    }

    private static JsonNode get(String url) throws Exception {
        return LogshipApp.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
