package io.logship.upload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every upload format, end to end: HTTP in, a real TCP listener decoding json_lines out. */
class UploadToLogstashTest extends WithTcpLogstash {

    @Test
    void ndjsonLinesArriveEnriched() throws Exception {
        String token = app.token("acme");
        byte[] body = "{\"level\":\"warning\",\"msg\":\"a\"}\nplain\n".getBytes(StandardCharsets.UTF_8);
        JsonNode result = app.uploadAndWait(token, "application/x-ndjson", body, "source=web");
        assertEquals(2, result.get("sent_logstash").asInt());
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 2);
        assertEquals("WARN", events.get(0).get("level").asText());
        assertEquals("a", events.get(0).get("msg").asText());
        assertEquals("plain", events.get(1).get("message").asText());
        assertEquals("acme", events.get(1).get("tenant_id").asText());
    }

    @Test
    void everyNdjsonLineArrivesOnceWithLogshipFields() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 250; i++) {
            body.append("{\"n\":").append(i).append(",\"message\":\"event ").append(i).append("\"}\n");
        }
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body.toString()),
                "source=batch-job&environment=prod");
        String uploadId = result.get("upload_id").asText();
        assertEquals("completed", result.get("status").asText());
        assertEquals(250, result.get("received").asInt());
        assertEquals(250, result.get("sent_logstash").asInt());

        List<JsonNode> events = Events.ofUpload(logstash, uploadId, 250);
        assertEquals(250, events.size());
        Events.byEventId(events);
        for (int i = 1; i <= 250; i++) {
            JsonNode event = events.get(i - 1);
            assertEquals(uploadId + "-" + i, event.get("event_id").asText());
            assertEquals(i, event.get("n").asInt());
            assertEquals("event " + i, event.get("message").asText());
            assertEquals("acme", event.get("tenant_id").asText());
            assertEquals("batch-job", event.get("source").asText());
            assertEquals("prod", event.get("environment").asText());
            assertEquals(uploadId, event.get("upload_id").asText());
            Instant ingested = Instant.parse(event.get("ingested_at").asText());
            assertTrue(!ingested.isBefore(before) && !ingested.isAfter(Instant.now()), ingested.toString());
            assertEquals(event.get("ingested_at").asText(), event.get("@timestamp").asText());
        }
    }

    @Test
    void jsonArrayElementsBecomeEvents() throws Exception {
        String array = "[\n  {\"message\": \"first\", \"level\": \"E\"},\n  {\"message\": \"second\", \"nested\": {\"k\": [1, 2]}},\n"
                + "  {\"message\": \"third\", \"time\": 1709633730}\n]\n";
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/json", utf8(array), "source=array");
        assertEquals(3, result.get("received").asInt());
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 3);
        assertEquals(List.of("first", "second", "third"), events.stream().map(e -> e.get("message").asText()).toList());
        assertEquals("ERROR", events.get(0).get("level").asText());
        assertEquals(LogshipApp.JSON.readTree("{\"k\":[1,2]}"), events.get(1).get("nested"));
        assertEquals("2024-03-05T10:15:30.000Z", events.get(2).get("@timestamp").asText());
    }

    @Test
    void plainTextLinesBecomeMessages() throws Exception {
        String text = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure\r\n"
                + "\r\n"
                + "  indented line with \"quotes\" and \\backslash\r\n"
                + "last line without break";
        // multiline off: here each line is its own event (with MULTILINE=auto the indented line would join the first)
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8(text), "source=syslog&multiline=off");
        assertEquals(3, result.get("received").asInt());
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 3);
        assertEquals("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure", events.get(0).get("message").asText());
        assertEquals("  indented line with \"quotes\" and \\backslash", events.get(1).get("message").asText());
        assertEquals("last line without break", events.get(2).get("message").asText());
        assertEquals(List.of(1L, 3L, 4L), events.stream().map(Events::line).toList(), "a blank line keeps its number");
        events.forEach(e -> assertFalse(e.has("tags")));
    }

    @Test
    void multiByteUtf8ArrivesIntact() throws Exception {
        String[] messages = {"caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", "\u65e5\u672c\u8a9e\u306e\u30ed\u30b0", "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439",
                "rocket \ud83d\ude80 and \ud800\udf48", "\u0645\u0631\u062d\u0628\u0627"};
        StringBuilder ndjson = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (String message : messages) {
            ndjson.append("{\"message\":\"").append(message).append("\",\"escaped\":\"\\u00e9\\ud83d\\ude80\"}\n");
            text.append(message).append('\n');
        }
        JsonNode fromNdjson = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(ndjson.toString()), null);
        JsonNode fromText = app.uploadAndWait(app.token("acme"), "text/plain; charset=utf-8", utf8(text.toString()), null);
        List<JsonNode> a = Events.ofUpload(logstash, fromNdjson.get("upload_id").asText(), messages.length);
        List<JsonNode> b = Events.ofUpload(logstash, fromText.get("upload_id").asText(), messages.length);
        for (int i = 0; i < messages.length; i++) {
            assertEquals(messages[i], a.get(i).get("message").asText());
            assertEquals("\u00e9\ud83d\ude80", a.get(i).get("escaped").asText());
            assertEquals(messages[i], b.get(i).get("message").asText());
        }
        assertTrue(logstash.undecodable().isEmpty(), logstash.undecodable().toString());
    }

    @Test
    void linesThatLookLikeJsonButDoNotParseAreTaggedParseError() throws Exception {
        String body = "{\"ok\":1}\n{\"broken\": tru\n[not, json\n{\"a\":1} extra\nplain {\n";
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body), null);
        assertEquals(5, result.get("sent_logstash").asInt());
        assertEquals(0, result.get("rejected").asInt(), "a parse error is forwarded, not rejected");
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 5);
        assertEquals(1, events.get(0).get("ok").asInt());
        assertFalse(events.get(0).has("tags"));
        String[] raw = {"{\"broken\": tru", "[not, json", "{\"a\":1} extra"};
        for (int i = 0; i < raw.length; i++) {
            JsonNode event = events.get(i + 1);
            assertEquals(raw[i], event.get("message").asText());
            assertEquals(LogshipApp.JSON.readTree("[\"parse_error\"]"), event.get("tags"));
            assertEquals("acme", event.get("tenant_id").asText());
        }
        assertEquals("plain {", events.get(4).get("message").asText());
        assertFalse(events.get(4).has("tags"), "a line that does not start like JSON is plain text");
    }

    @Test
    void explicitFormatTextWins() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson",
                utf8("{\"level\":\"W\"}\n"), "format=text");
        JsonNode event = Events.ofUpload(logstash, result.get("upload_id").asText(), 1).get(0);
        assertEquals("{\"level\":\"W\"}", event.get("message").asText());
        assertFalse(event.has("level"));
        assertFalse(event.has("tags"));
    }

    @Test
    void gzipBodyIsUnpacked() throws Exception {
        var packed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(packed)) {
            gzip.write(utf8("{\"message\":\"zipped 1\"}\nzipped 2\n"));
        }
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/gzip", packed.toByteArray(), null);
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 2);
        assertEquals(List.of("zipped 1", "zipped 2"), events.stream().map(e -> e.get("message").asText()).toList());
    }

    @Test
    void enrichmentLevelsAndTimestampsOnTheWire() throws Exception {
        String body = String.join("\n",
                "{\"level\":\"notice\"}",
                "{\"severity\":\"warning\"}",
                "{\"loglevel\":\"V\"}",
                "{\"level\":\"err\",\"severity\":\"I\"}",
                "{\"@timestamp\":\"2024-03-05T10:15:30.123+01:00\"}",
                "{\"timestamp\":\"2024-03-05 10:15:30\"}",
                "{\"time\":1709633730}",
                "{\"time\":1709633730123}",
                "{\"time\":\"1709633730\"}",
                "{\"time\":\"17/06/09 20:10:40\"}",
                "{\"@timestamp\":\"not a time\"}",
                "{\"tenant_id\":\"globex\",\"upload_id\":\"forged\",\"event_id\":\"forged-1\",\"source\":\"forged\"}") + "\n";
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8(body), "source=enrich&environment=qa");
        String uploadId = result.get("upload_id").asText();
        List<JsonNode> e = Events.ofUpload(logstash, uploadId, 12);
        assertEquals("NOTICE", e.get(0).get("level").asText());
        assertEquals("WARN", e.get(1).get("level").asText());
        assertEquals("warning", e.get(1).get("severity").asText());
        assertEquals("TRACE", e.get(2).get("level").asText());
        assertEquals("ERROR", e.get(3).get("level").asText());
        assertEquals("2024-03-05T09:15:30.123Z", e.get(4).get("@timestamp").asText());
        assertEquals("2024-03-05T10:15:30.000Z", e.get(5).get("@timestamp").asText());
        assertEquals("2024-03-05 10:15:30", e.get(5).get("timestamp").asText());
        assertEquals("2024-03-05T10:15:30.000Z", e.get(6).get("@timestamp").asText());
        assertEquals("2024-03-05T10:15:30.123Z", e.get(7).get("@timestamp").asText());
        assertEquals("2024-03-05T10:15:30.000Z", e.get(8).get("@timestamp").asText());
        assertEquals("2017-06-09T20:10:40.000Z", e.get(9).get("@timestamp").asText(), "Spark's layout is read too");
        assertEquals("17/06/09 20:10:40", e.get(9).get("time").asText());
        assertEquals(e.get(10).get("ingested_at").asText(), e.get(10).get("@timestamp").asText());
        assertEquals("not a time", e.get(10).get("original_timestamp").asText());
        JsonNode forged = e.get(11);
        assertEquals("acme", forged.get("tenant_id").asText());
        assertEquals(uploadId, forged.get("upload_id").asText());
        assertEquals(uploadId + "-12", forged.get("event_id").asText());
        assertEquals("enrich", forged.get("source").asText(), "the upload's source wins over the event's");
        assertEquals("enrich", e.get(0).get("source").asText());
        for (JsonNode event : e) {
            assertEquals("qa", event.get("environment").asText());
        }
    }

    @Test
    void plainTextStartingWithABracketIsNotTakenForAJsonArray() throws Exception {
        // Apache's error log: every line starts with '['
        String text = "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties\n"
                + "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n";
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8(text), null);
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 2);
        assertEquals("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
                events.get(0).get("message").asText());
        assertEquals("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6", events.get(1).get("message").asText());
    }

    @Test
    void prettyPrintedAndExplicitJsonArrays() throws Exception {
        JsonNode pretty = app.uploadAndWait(app.token("acme"), "application/json",
                utf8("\ufeff\n\n  [\n\n   {\"message\": \"one\"}\n,{\"message\":\"two\"}]"), null);
        assertEquals(List.of("one", "two"), Events.ofUpload(logstash, pretty.get("upload_id").asText(), 2).stream()
                .map(e -> e.get("message").asText()).toList());
        JsonNode empty = app.uploadAndWait(app.token("acme"), "application/json", utf8("[]"), null);
        assertEquals(0, empty.get("received").asInt());
        assertEquals("completed", empty.get("status").asText());
        JsonNode explicit = app.uploadAndWait(app.token("acme"), "application/json", utf8("[1, \"two\"]"), "format=json");
        assertEquals(List.of("1", "\"two\""), Events.ofUpload(logstash, explicit.get("upload_id").asText(), 2).stream()
                .map(e -> e.get("message").asText()).toList());
    }
}
