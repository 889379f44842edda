package io.logship.ship;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** LOGSTASH_BATCH_SIZE events per write: 95 events in batches of 10 are 10 batches. */
class BatchingTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "logstash.batch.size", "10");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    private static JsonNode statisticsAfter(String body, String contentType) throws Exception {
        String admin = app.token("ops", "admin");
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", admin).statusCode());
        JsonNode result = app.uploadAndWait(app.token("acme"), contentType, utf8(body), null);
        JsonNode report = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", admin));
        assertEquals("10", report.get("configuration").get("logstash_batch_size").asText());
        int received = result.get("received").asInt();
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), received);
        assertEquals(received, events.size());
        return report.get("statistics");
    }

    @Test
    void ninetyFiveEventsAreTenBatches() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 95; i++) {
            body.append("{\"n\":").append(i).append("}\n");
        }
        JsonNode statistics = statisticsAfter(body.toString(), "application/x-ndjson");
        assertEquals(10, statistics.get("batches_sent").asInt(), statistics.toString());
        assertEquals(95, statistics.get("total_sent").asInt());
        assertEquals(0, statistics.get("total_failed").asInt());
    }

    @Test
    void blankLinesDoNotFillABatch() throws Exception {
        // 20 events among 40 blank lines: two batches, not six
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            body.append("event ").append(i).append("\n\n\r\n");
        }
        JsonNode statistics = statisticsAfter(body.toString(), "text/plain");
        assertEquals(2, statistics.get("batches_sent").asInt(), statistics.toString());
        assertEquals(20, statistics.get("total_sent").asInt());
    }

    @Test
    void anExactMultipleLeavesNoEmptyBatch() throws Exception {
        JsonNode statistics = statisticsAfter("x\n".repeat(30), "text/plain");
        assertEquals(3, statistics.get("batches_sent").asInt(), statistics.toString());
    }
}
