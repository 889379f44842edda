package io.logship.fallback;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** USE_LOGSTASH=false: nothing goes to Logstash, even when it listens; events take the fallback path and the monitor says "disabled". */
class LogstashDisabledTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "use.logstash", "false");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    void eventsTakeTheFallbackPathNotLogstash() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("f1\nf2\n"), null);
        String uploadId = result.get("upload_id").asText();
        assertEquals(0, result.get("sent_logstash").asInt());
        assertEquals(2, result.get("sent_elasticsearch").asInt() + result.get("spooled").asInt(), result.toString());

        List<String> documents = new java.util.ArrayList<>();
        try (Stream<Path> spool = Files.list(app.dataDir().resolve("spool"))) {
            for (Path file : spool.filter(f -> f.toString().endsWith(uploadId + ".ndjson")).toList()) {
                List<String> lines = Files.readAllLines(file);
                documents.addAll(lines.subList(1, lines.size()));
            }
        }
        assertEquals(result.get("spooled").asInt(), documents.size());
        if (!documents.isEmpty()) {
            assertEquals("f1", LogshipApp.JSON.readTree(documents.get(0)).get("message").asText());
        }
        assertEquals(0, logstash.eventCount(), "nothing reached Logstash");
    }

    @Test
    void monitorSaysDisabledAndTheTestMessageIsNotSent() throws Exception {
        String admin = app.token("ops", "admin");
        JsonNode health = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", admin)).get("health");
        assertEquals("disabled", health.get("status").asText(), health.toString());
        assertFalse(health.get("connected").asBoolean());

        HttpResponse<String> test = app.send("POST", "/api/v1/logs/logstash/monitor/", admin);
        assertEquals(200, test.statusCode());
        assertFalse(LogshipApp.json(test).get("sent").asBoolean(), test.body());
        assertEquals(0, logstash.eventCount());
    }
}
