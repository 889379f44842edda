package io.logship.upload;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MAX_UPLOAD_BYTES (413, nothing forwarded) and MAX_EVENT_BYTES (the line is rejected and reported, never truncated). */
class UploadLimitsTest {

    static final int MAX_UPLOAD = 8192;
    static final int MAX_EVENT = 200;

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()),
                "max.upload.bytes", String.valueOf(MAX_UPLOAD), "max.event.bytes", String.valueOf(MAX_EVENT));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    /** Lines carrying the marker, more than MAX_UPLOAD bytes in all, each under MAX_EVENT. */
    private static String tooLarge(String marker) {
        StringBuilder body = new StringBuilder();
        while (body.length() <= MAX_UPLOAD) {
            body.append("{\"message\":\"").append(marker).append("\"}\n");
        }
        return body.toString();
    }

    private void assert413AndNothingForwarded(String marker, HttpResponse<String> response) throws Exception {
        assertEquals(413, response.statusCode(), response.body());
        JsonNode body = LogshipApp.json(response);
        assertEquals("payload_too_large", body.get("error").asText(), response.body());
        assertTrue(body.get("detail").asText().contains(String.valueOf(MAX_UPLOAD)), response.body());
        assertNothingForwarded(marker);
    }

    private void assertNothingForwarded(String marker) throws Exception {
        JsonNode good = app.uploadAndWait(app.token("acme"), "text/plain", utf8("small\n"), null);
        Events.ofUpload(logstash, good.get("upload_id").asText(), 1);
        assertTrue(logstash.events().stream().noneMatch(e -> e.toString().contains(marker)), "a refused upload forwards nothing");
    }

    @Test
    void rawUploadOverTheLimitIs413() throws Exception {
        String marker = "big-" + UUID.randomUUID();
        assert413AndNothingForwarded(marker, app.upload(app.token("acme"), "application/x-ndjson", utf8(tooLarge(marker)), "wait=true"));
    }

    @Test
    void chunkedUploadWithoutContentLengthOverTheLimitIs413() throws Exception {
        String marker = "chunked-" + UUID.randomUUID();
        byte[] body = utf8(tooLarge(marker));
        HttpResponse<String> response = app.post("/api/v1/logs/upload/?wait=true", app.token("acme"), "application/x-ndjson",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assert413AndNothingForwarded(marker, response);
    }

    @Test
    void multipartUploadOverTheLimitIs413AndForwardsNothing() throws Exception {
        String marker = "multipart-" + UUID.randomUUID();
        HttpResponse<String> response = app.uploadMultipart(app.token("acme"), "big.log", utf8(tooLarge(marker)), Map.of(), "wait=true");
        assertEquals(413, response.statusCode(), response.body());
        assertNothingForwarded(marker);
    }

    @Test
    void uploadAtTheLimitIsAccepted() throws Exception {
        String line = "x".repeat(99) + "\n";
        byte[] body = utf8(line.repeat(MAX_UPLOAD / line.length()) + "y".repeat(MAX_UPLOAD % line.length()));
        assertEquals(MAX_UPLOAD, body.length);
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", body, null);
        assertEquals(MAX_UPLOAD / line.length() + 1, result.get("received").asInt());
    }

    @Test
    void oversizedLineIsRejectedReportedAndNeverTruncated() throws Exception {
        String big = "{\"message\":\"" + "B".repeat(MAX_EVENT) + "\"}";
        String exact = "E".repeat(MAX_EVENT);
        String body = "{\"message\":\"line 1\"}\n" + "line 2\n" + big + "\n" + "line 4\r\n" + exact + "\r\n" + "X".repeat(MAX_EVENT + 1) + "\n" + "line 7";
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body), null);
        assertEquals("completed", result.get("status").asText());
        assertEquals(7, result.get("received").asInt());
        assertEquals(5, result.get("sent_logstash").asInt());
        assertEquals(2, result.get("rejected").asInt());
        JsonNode errors = result.get("errors");
        assertEquals(2, errors.size(), result.toString());
        assertEquals(3, errors.get(0).get("line").asInt());
        assertTrue(errors.get(0).get("reason").asText().contains("MAX_EVENT_BYTES"), errors.toString());
        assertTrue(errors.get(0).get("reason").asText().contains(String.valueOf(big.length())), errors.toString());
        assertEquals(6, errors.get(1).get("line").asInt());

        String uploadId = result.get("upload_id").asText();
        List<JsonNode> events = Events.ofUpload(logstash, uploadId, 5);
        assertEquals(List.of(1L, 2L, 4L, 5L, 7L), events.stream().map(Events::line).toList());
        assertEquals(List.of("line 1", "line 2", "line 4", exact, "line 7"), events.stream().map(e -> e.get("message").asText()).toList());
        assertTrue(logstash.events().stream().noneMatch(e -> e.toString().contains("BBBB") || e.toString().contains("XXXX")),
                "no part of a rejected line is sent");

        HttpResponse<String> status = app.get("/api/v1/logs/uploads/" + uploadId, app.token("acme"));
        assertEquals(result, LogshipApp.json(status), "the status resource reports the same");
    }

    @Test
    void atMostTwentyErrorsAreListedButAllAreCounted() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            body.append(i % 2 == 0 ? "ok " + i : "Z".repeat(MAX_EVENT + 1)).append('\n');
        }
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8(body.toString()), null);
        assertEquals(50, result.get("received").asInt());
        assertEquals(25, result.get("rejected").asInt());
        assertEquals(25, result.get("sent_logstash").asInt());
        assertEquals(20, result.get("errors").size(), "the first errors only");
        for (int i = 0; i < 20; i++) {
            assertEquals(2 * i + 1, result.get("errors").get(i).get("line").asInt());
        }
        assertEquals(25, Events.ofUpload(logstash, result.get("upload_id").asText(), 25).size());
    }
}
