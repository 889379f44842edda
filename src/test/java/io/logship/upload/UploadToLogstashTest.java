package io.logship.upload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UploadToLogstashTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    void ndjsonLinesArriveEnriched() throws Exception {
        String token = app.token("acme");
        byte[] body = "{\"level\":\"warning\",\"msg\":\"a\"}\nplain\n".getBytes(StandardCharsets.UTF_8);
        JsonNode result = app.uploadAndWait(token, "application/x-ndjson", body, "source=web");
        assertEquals(2, result.get("sent_logstash").asInt());
        List<JsonNode> events = logstash.awaitEvents(2, Duration.ofSeconds(10));
        assertEquals("WARN", events.get(0).get("level").asText());
        assertEquals("acme", events.get(1).get("tenant_id").asText());
    }
}
