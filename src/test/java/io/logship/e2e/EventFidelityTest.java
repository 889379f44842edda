package io.logship.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads through the real API to a real TCP listener: events come out as a person reads the file. */
class EventFidelityTest extends WithTcpLogstash {

    private static final String JAVA_LOG = """
            2024-05-01 12:00:00,000 INFO [main] com.example.App - starting\r
            2024-05-01 12:00:01,000 ERROR [main] com.example.App - request failed\r
            java.lang.IllegalStateException: outer\r
            \tat com.example.App.run(App.java:10)\r
            Caused by: java.io.IOException: inner\r
            \tat com.example.Db.open(Db.java:20)\r
            \t... 1 more\r
            2024-05-01 12:00:02,000 WARN [main] com.example.App - retrying\r
            """;

    private List<JsonNode> upload(String contentType, String body, String query, int events) throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), contentType, utf8(body), query);
        assertEquals("completed", result.get("status").asText(), result.toString());
        assertEquals(events, result.get("sent_logstash").asInt(), result.toString());
        return Events.ofUpload(logstash, result.get("upload_id").asText(), events);
    }

    @Test
    void aStackTraceInACrlfFileIsOneEventWithTheTimeAndLevelOfItsFirstLine() throws Exception {
        List<JsonNode> events = upload("text/plain", JAVA_LOG, null, 3);
        assertEquals(List.of(1L, 2L, 8L), events.stream().map(Events::line).toList());
        JsonNode error = events.get(1);
        assertEquals("2024-05-01 12:00:01,000 ERROR [main] com.example.App - request failed\njava.lang.IllegalStateException: outer\n"
                + "\tat com.example.App.run(App.java:10)\nCaused by: java.io.IOException: inner\n\tat com.example.Db.open(Db.java:20)\n"
                + "\t... 1 more", error.get("message").asText());
        assertEquals("ERROR", error.get("level").asText());
        assertEquals("2024-05-01T12:00:01.000Z", error.get("@timestamp").asText());
        assertEquals("WARN", events.get(2).get("level").asText());

        List<JsonNode> separate = upload("text/plain", JAVA_LOG, "multiline=off", 8);
        assertEquals("java.lang.IllegalStateException: outer", separate.get(2).get("message").asText());
    }

    @Test
    void theTimezoneOfAnUploadAndAFormatHint() throws Exception {
        JsonNode berlin = upload("text/plain", "2024-07-01 12:00:00,000 INFO x\n", "timezone=Europe/Berlin", 1).get(0);
        assertEquals("2024-07-01T10:00:00.000Z", berlin.get("@timestamp").asText());

        var multipart = app.uploadMultipart(app.token("acme"), "spark.log",
                utf8("17/06/09 20:10:40 INFO executor.Backend: Registered\nno timestamp: continues the event\n"
                        + "17/06/09 20:10:41 WARN executor.Backend: slow\n"),
                Map.of("format", "spark", "timezone", "+02:00"), "wait=true");
        assertEquals(200, multipart.statusCode(), multipart.body());
        List<JsonNode> spark = Events.ofUpload(logstash, LogshipApp.json(multipart).get("upload_id").asText(), 2);
        assertEquals("2017-06-09T18:10:40.000Z", spark.get(0).get("@timestamp").asText());
        assertEquals("executor.Backend", spark.get(0).at("/log/logger").asText());
        assertEquals("17/06/09 20:10:40 INFO executor.Backend: Registered\nno timestamp: continues the event",
                spark.get(0).get("message").asText());
        assertEquals("WARN", spark.get(1).get("level").asText());
    }

    @Test
    void badHintsAreAClear400() throws Exception {
        String token = app.token("acme");
        for (String query : List.of("format=xml", "timezone=Mars/Olympus", "multiline=sometimes")) {
            var response = app.upload(token, "text/plain", utf8("x\n"), query);
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            JsonNode error = LogshipApp.json(response);
            assertTrue(error.get("error").asText().startsWith("bad_"), response.body());
            assertFalse(error.get("detail").asText().isBlank());
        }
    }

    @Test
    void anArrayOfAnythingIsAJsonArrayAndAnArrayFirstLineWithADigitIsText() throws Exception {
        // [ then a digit, a quote or [ is read as JSON when it is JSON: one event per element, non-objects as messages
        List<JsonNode> scalars = upload("application/json", "[1,\"a\"]", null, 2);
        assertEquals(List.of("1", "\"a\""), scalars.stream().map(e -> e.get("message").asText()).toList());
        List<JsonNode> nested = upload("text/plain", "[[{\"message\":\"nested\"}]]", null, 1);
        assertEquals("[{\"message\":\"nested\"}]", nested.get(0).get("message").asText());
        assertFalse(nested.get(0).has("tags"));
        // a text log that starts with a bracket and a digit is text
        List<JsonNode> text = upload("text/plain", "[2024-05-01 12:00:00] ERROR x\n[2024-05-01 12:00:01] INFO y\n", null, 2);
        assertEquals("ERROR", text.get(0).get("level").asText());
        assertEquals("2024-05-01T12:00:00.000Z", text.get(0).get("@timestamp").asText());
        assertEquals("[2024-05-01 12:00:00] ERROR x", text.get(0).get("message").asText());
    }

    @Test
    void parseErrorsAreForwardedTaggedCountedAndKeptAsDeadLetters() throws Exception {
        String body = "{\"message\":\"fine\"}\n{\"message\": broken\n[Sun Dec 04 04:47:44 2005] [error] text, not JSON\n";
        // not declared NDJSON: only the line that starts with { is meant as JSON
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8(body), null);
        assertEquals(3, result.get("sent_logstash").asInt());
        assertEquals(1, result.get("parse_errors").asInt(), result.toString());
        String id = result.get("upload_id").asText();
        List<JsonNode> events = Events.ofUpload(logstash, id, 3);
        assertEquals("[\"parse_error\"]", events.get(1).get("tags").toString());
        assertFalse(events.get(2).has("tags"), "a line starting with [ that is not JSON is text: " + events.get(2));
        assertEquals("ERROR", events.get(2).get("level").asText());

        JsonNode letter = null;
        try (Stream<Path> files = Files.list(app.dataDir().resolve("dead-letter"))) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode entry = LogshipApp.JSON.readTree(line);
                    if (id.equals(entry.path("upload_id").asText())) {
                        letter = entry;
                    }
                }
            }
        }
        assertTrue(letter != null, "the parse error is in the dead letters");
        assertEquals(2, letter.get("line").asInt());
        assertEquals("parse_error", letter.get("reason").asText());
        assertEquals("{\"message\": broken", letter.get("original").asText());
    }

    @Test
    void theUploadsSourceAndEnvironmentWinOverTheLines() throws Exception {
        JsonNode event = upload("application/x-ndjson", "{\"source\":\"line\",\"environment\":\"dev\",\"message\":\"m\"}\n",
                "source=web-1&environment=prod", 1).get(0);
        assertEquals("web-1", event.get("source").asText());
        assertEquals("prod", event.get("environment").asText());
        JsonNode noEnvironment = upload("application/x-ndjson", "{\"source\":\"line\",\"environment\":\"dev\"}\n",
                "source=web-1", 1).get(0);
        assertEquals("web-1", noEnvironment.get("source").asText());
        assertEquals("dev", noEnvironment.get("environment").asText(), "without an upload environment the line's stays");
    }
}
