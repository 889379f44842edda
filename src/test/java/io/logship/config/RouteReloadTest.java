package io.logship.config;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.UploadCounts;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ROUTES_DIR with ROUTES_RELOAD: the operator's copy of the routes runs, and edits to it apply live. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteReloadTest {

    @TempDir
    static Path routes;
    static LogstashListener logstash;
    static LogshipApp app;
    static RouteWatcherReloadStrategy reloader;

    @BeforeAll
    static void start() throws Exception {
        List<Path> copied = DefaultRoutes.copyTo(routes);
        assertEquals(Set.of("errors.camel.yaml", "fallback.camel.yaml", "kafka.camel.yaml", "monitor.camel.yaml",
                        "process.camel.yaml", "ship.camel.yaml", "upload.camel.yaml"),
                copied.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "routes.dir", routes.toString(),
                "routes.reload", "true", "logstash.batch.size", "50");
        reloader = app.context().hasService(RouteWatcherReloadStrategy.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    @Order(1)
    void copyKeepsAnOperatorsEdits() throws Exception {
        Path monitor = routes.resolve("monitor.camel.yaml");
        String before = Files.readString(monitor);
        assertTrue(DefaultRoutes.copyTo(routes).isEmpty());
        assertEquals(before, Files.readString(monitor));
    }

    @Test
    @Order(2)
    void anEditedRouteAnswersDifferently() throws Exception {
        assertNull(monitor().headers().firstValue("X-Routes-Edition").orElse(null));

        edit("monitor.camel.yaml", "            constant: application/json\n",
                "            constant: application/json\n        - setHeader:\n            name: X-Routes-Edition\n            constant: \"2\"\n");

        LogshipApp.await(Duration.ofSeconds(30), () -> "2".equals(edition()));
        assertEquals(200, monitor().statusCode());
    }

    @Test
    @Order(3)
    void aBrokenEditIsRefusedAndTheRoutesKeepRunning() throws Exception {
        int failed = reloader.getFailedCounter();
        Path file = routes.resolve("monitor.camel.yaml");
        String good = Files.readString(file);
        write(file, good.replace("constant: \"2\"", "constant: \"3\"").replace("    id: monitor\n", "    id: monitor\n   from: [\n"));

        LogshipApp.await(Duration.ofSeconds(30), () -> reloader.getFailedCounter() > failed);
        assertEquals("2", edition(), "the previous monitor route still answers");
        JsonNode upload = app.uploadAndWait(app.token("acme"), "application/x-ndjson", "{\"m\":\"after a broken edit\"}\n"
                .getBytes(StandardCharsets.UTF_8), null);
        assertEquals(1, upload.get("sent_logstash").asInt());

        // parses, but cannot start: the previous version is put back
        int failedAgain = reloader.getFailedCounter();
        write(file, good.replace("constant: \"2\"", "constant: \"3\"").replace("method: report", "method: reportTypo"));
        LogshipApp.await(Duration.ofSeconds(30), () -> reloader.getFailedCounter() > failedAgain);
        assertEquals("2", edition(), "the previous monitor route runs again");

        // fixed: the next save applies
        write(file, good.replace("constant: \"2\"", "constant: \"3\""));
        LogshipApp.await(Duration.ofSeconds(30), () -> "3".equals(edition()));
    }

    @Test
    @Order(4)
    void eventsInFlightSurviveAReloadOfTheirRoute() throws Exception {
        int events = 20_000;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= events; i++) {
            body.append("{\"n\":").append(i).append("}\n");
        }
        int before = logstash.events().size();
        HttpResponse<String> accepted = app.upload(app.token("acme"), "application/x-ndjson",
                body.toString().getBytes(StandardCharsets.UTF_8), null);
        assertEquals(202, accepted.statusCode());
        String id = LogshipApp.json(accepted).get("upload_id").asText();
        LogshipApp.await(Duration.ofSeconds(30), () -> logstash.events().size() > before);
        int reloads = reloader.getReloadCounter();

        edit("ship.camel.yaml", "sent by the fallback path\"", "sent by the fallback path (edited)\"");

        LogshipApp.await(Duration.ofSeconds(30), () -> reloader.getReloadCounter() > reloads);
        LogshipApp.await(Duration.ofSeconds(120), () -> {
            JsonNode now = status(id);
            UploadCounts.assertBalanced(now);     // at every read, across the reload
            return "completed".equals(now.path("status").asText());
        });
        JsonNode status = status(id);
        UploadCounts.assertBalanced(status);
        assertEquals(events, status.get("received").asInt(), status.toString());
        assertEquals(events, status.get("sent_logstash").asInt(), status.toString());
        logstash.awaitEvents(before + events, Duration.ofSeconds(30));
        Set<Integer> arrived = logstash.events().stream().filter(e -> id.equals(e.path("upload_id").asText()))
                .map(e -> e.get("n").asInt()).collect(Collectors.toSet());
        assertEquals(events, arrived.size(), "every event of the upload arrived");
    }

    private static void edit(String name, String from, String to) throws Exception {
        Path file = routes.resolve(name);
        String text = Files.readString(file);
        assertTrue(text.contains(from), name + " has no '" + from + "'");
        write(file, text.replace(from, to));
    }

    /** As an editor that saves atomically does: the watcher never sees a half-written file. */
    private static void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<String> monitor() throws Exception {
        return app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"));
    }

    private static String edition() {
        try {
            return monitor().headers().firstValue("X-Routes-Edition").orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode status(String id) {
        try {
            return LogshipApp.json(app.get("/api/v1/logs/uploads/" + id, app.token("acme")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
