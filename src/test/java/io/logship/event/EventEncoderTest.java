package io.logship.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Upload UPLOAD = new Upload("u1", "acme", "app.log", "prod", false, 0);

    private final EventEncoder encoder = new EventEncoder();

    /** Encodes lines numbered 1..n and decodes every document of the resulting batch. */
    private List<JsonNode> encode(Upload upload, String... lines) throws Exception {
        EventBatch batch = batch(upload, lines);
        String wire = new String(batch.bytes(), StandardCharsets.UTF_8);
        assertTrue(wire.endsWith("\n"), "json_lines: every document ends in a line break");
        String[] documents = wire.split("\n", -1);
        assertEquals(lines.length + 1, documents.length, "one document per line, nothing else: " + wire);
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            assertEquals(documents[i], batch.document(i));
            events.add(JSON.readTree(documents[i]));
        }
        return events;
    }

    /** Each line read alone: something else stands between them in the batch's data (only [start, end) is a line). */
    private EventBatch batch(Upload upload, String... lines) throws Exception {
        return laidOut(upload, "garbage-between-lines", lines);
    }

    /** The lines as a stored upload holds them, one after the other: one parser reads a run of JSON lines. */
    private EventBatch stored(Upload upload, String... lines) throws Exception {
        return laidOut(upload, "\n", lines);
    }

    private EventBatch laidOut(Upload upload, String between, String... lines) throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] starts = new int[lines.length];
        int[] ends = new int[lines.length];
        long[] numbers = new long[lines.length];
        for (int i = 0; i < lines.length; i++) {
            data.writeBytes(between.getBytes(StandardCharsets.UTF_8));
            starts[i] = data.size();
            data.writeBytes(lines[i].getBytes(StandardCharsets.UTF_8));
            ends[i] = data.size();
            numbers[i] = i + 1;
        }
        return encoder.encode(new LineBatch(upload, data.toByteArray(), starts, ends, numbers, lines.length, List.of(), 0, 0));
    }

    /** A batch's documents with its ingest time (taken once per batch) made comparable. */
    private static String sameIngestTime(EventBatch batch) throws Exception {
        String wire = new String(batch.bytes(), StandardCharsets.UTF_8);
        return wire.replace(JSON.readTree(batch.document(0)).get("ingested_at").asText(), "INGESTED");
    }

    private JsonNode one(String line) throws Exception {
        return encode(UPLOAD, line).get(0);
    }

    @Test
    void jsonLinesReadByOneParserGiveWhatEachLineGivesAlone() throws Exception {
        String[] lines = {
                "{\"a\":1}",
                "{\"a\":1,",                      // its object ends on the next line: a parse error here
                "\"b\":2}",                       // and this alone is text
                "{\"a\":1} {\"b\":2}",           // two values on one line: a parse error
                "[1,2]",                          // JSON, not an object: a message
                "{\"level\":\" Warning \",\"severity\":\"E\"}",
                "{\"a\":\"unterminated}",
                "{\"d\":1,\"d\":2}",              // a duplicate key: a parse error
                "plain text between",
                "{\"ok\":true}  \r",
                "  {\"ok\":2}",
                "[Sun Dec 04 04:47:44 2005] [notice] text, not JSON",
                "{\"nested\":{\"a\":[1,{\"b\":\"c\",\"b2\":{}}]},\"n\":-1.5e3}",
                "{\"message\":\"last\"}"};
        EventBatch stored = stored(UPLOAD, lines);
        assertEquals(sameIngestTime(batch(UPLOAD, lines)), sameIngestTime(stored), "each line read alone");
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            events.add(JSON.readTree(stored.document(i)));
        }
        assertEquals(1, events.get(0).get("a").asInt());
        for (int parseError : new int[]{1, 3, 6, 7}) {
            assertEquals("[\"parse_error\"]", events.get(parseError).get("tags").toString(), lines[parseError]);
            assertEquals(lines[parseError], events.get(parseError).get("message").asText());
        }
        assertEquals("\"b\":2}", events.get(2).get("message").asText());
        assertEquals("[1,2]", events.get(4).get("message").asText());
        assertEquals("WARN", events.get(5).get("level").asText());
        assertTrue(events.get(9).get("ok").asBoolean());
        assertEquals(2, events.get(10).get("ok").asInt());
        assertEquals(lines[11], events.get(11).get("message").asText());
        assertEquals("c", events.get(12).get("nested").get("a").get(1).get("b").asText());
        assertEquals("last", events.get(13).get("message").asText());
    }

    /** A batch writes the time it wrote last again without working it out: each event still gets its own. */
    @Test
    void eventsInARowGetEachTheirOwnTimestamp() throws Exception {
        String[] lines = {
                "{\"time\":\"Sun Dec 04 04:47:44 2005\"}",
                "{\"time\":\"Sun Dec 04 04:47:44 2005\"}",
                "{\"time\":\"not a time\"}",
                "{\"time\":\"Sun Dec 04 04:47:44 2005\"}",
                "{\"time\":1700000000}",
                "{\"time\":\"not a time\"}",
                "[Sun Dec 04 04:47:45 2005] [notice] text",
                "{\"time\":\"Sun Dec 04 04:47:44 2005\"}"};
        List<JsonNode> events = encode(UPLOAD, lines);
        String ingested = events.get(0).get("ingested_at").asText();
        String[] expected = {"2005-12-04T04:47:44.000Z", "2005-12-04T04:47:44.000Z", ingested, "2005-12-04T04:47:44.000Z",
                "2023-11-14T22:13:20.000Z", ingested, "2005-12-04T04:47:45.000Z", "2005-12-04T04:47:44.000Z"};
        for (int i = 0; i < lines.length; i++) {
            assertEquals(expected[i], events.get(i).get("@timestamp").asText(), lines[i]);
            com.fasterxml.jackson.databind.node.ObjectNode inRow = events.get(i).deepCopy();
            com.fasterxml.jackson.databind.node.ObjectNode alone = one(lines[i]).deepCopy();
            for (com.fasterxml.jackson.databind.node.ObjectNode event : List.of(inRow, alone)) {
                event.remove(List.of("@timestamp", "ingested_at", "event_id"));
            }
            assertEquals(alone, inRow, "the rest as the line alone gives it: " + lines[i]);
        }
    }

    @Test
    void aKeyTwiceInOneObjectAtAnyDepthIsAParseError() throws Exception {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            many.append("\"k").append(i).append("\":").append(i).append(',');
        }
        String distinct = many + "\"last\":0}";
        String[] lines = {
                "{\"n\":{\"x\":1,\"x\":2}}",
                "[{\"x\":1,\"x\":2}]",            // a line starting with [ that does not parse is text
                many + "\"k39\":0}",
                "{\"a\":[{\"x\":1,\"y\":{\"x\":[{\"x\":1}]}}],\"b\":[{\"x\":1},{\"x\":2}],\"x\":{\"x\":1}}",
                distinct};
        List<JsonNode> events = encode(UPLOAD, lines);
        for (int parseError : new int[]{0, 2}) {
            assertEquals("[\"parse_error\"]", events.get(parseError).get("tags").toString(), lines[parseError]);
        }
        assertEquals(lines[1], events.get(1).get("message").asText());
        assertEquals(null, events.get(1).get("tags"));
        assertEquals(1, events.get(3).get("x").get("x").asInt(), "the same key in other objects is no duplicate");
        assertEquals(2, events.get(3).get("b").get(1).get("x").asInt());
        assertEquals(39, events.get(4).get("k39").asInt());
        assertEquals(sameIngestTime(batch(UPLOAD, lines)), sameIngestTime(stored(UPLOAD, lines)));
    }

    @Test
    void jsonObjectKeepsEveryFieldAndGetsLogshipFields() throws Exception {
        JsonNode event = one("{\"message\":\"hi\",\"n\":3,\"f\":1.5,\"b\":true,\"z\":null,\"nested\":{\"a\":[1,{\"b\":\"c\"}]},\"tags\":[\"x\"]}");
        assertEquals("hi", event.get("message").asText());
        assertEquals(3, event.get("n").asInt());
        assertEquals(1.5, event.get("f").asDouble());
        assertTrue(event.get("b").asBoolean());
        assertTrue(event.get("z").isNull());
        assertEquals(JSON.readTree("{\"a\":[1,{\"b\":\"c\"}]}"), event.get("nested"));
        assertEquals(JSON.readTree("[\"x\"]"), event.get("tags"));
        assertEquals("acme", event.get("tenant_id").asText());
        assertEquals("app.log", event.get("source").asText());
        assertEquals("prod", event.get("environment").asText());
        assertEquals("u1", event.get("upload_id").asText());
        assertEquals("u1-1", event.get("event_id").asText());
        Instant ingested = Instant.parse(event.get("ingested_at").asText());
        assertTrue(Math.abs(ingested.toEpochMilli() - System.currentTimeMillis()) < 60_000);
        assertEquals(event.get("ingested_at").asText(), event.get("@timestamp").asText(), "no time field: ingest time");
    }

    @Test
    void plainLineBecomesMessage() throws Exception {
        JsonNode event = one("2024-03-05 something \"quoted\" \\ back\tslash");
        assertEquals("2024-03-05 something \"quoted\" \\ back\tslash", event.get("message").asText());
        assertFalse(event.has("tags"));
        assertFalse(event.has("level"), "a line without a level word gets none, not a guess");
        assertEquals(event.get("ingested_at").asText(), event.get("@timestamp").asText(), "a date alone is not a time");
        assertEquals("u1-1", event.get("event_id").asText());
    }

    @Test
    void multiByteUtf8AndControlCharactersRoundTrip() throws Exception {
        String text = "caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude80 \u0001 end";
        assertEquals(text, one(text).get("message").asText());
        assertEquals(text, one("{\"message\":\"" + text.replace("\u0001", "\\u0001") + "\"}").get("message").asText());
    }

    @Test
    void brokenJsonIsForwardedRawWithParseErrorTag() throws Exception {
        for (String line : List.of("{\"a\":", "{not json}", "{\"a\":1} trailing", "{\"a\":1}}")) {
            JsonNode event = one(line);
            assertEquals(line, event.get("message").asText(), line);
            assertEquals(JSON.readTree("[\"parse_error\"]"), event.get("tags"), line);
            assertEquals("acme", event.get("tenant_id").asText());
            assertEquals(9, event.size(), "message, tags, @timestamp and the six logship fields only: " + event);
        }
    }

    @Test
    void aLineStartingWithABracketIsTextUnlessTheUploadIsDeclaredNdjson() throws Exception {
        JsonNode text = one("[1,2");
        assertEquals("[1,2", text.get("message").asText());
        assertFalse(text.has("tags"), "[ alone does not mean JSON: " + text);
        JsonNode apache = one("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6");
        assertFalse(apache.has("tags"));
        assertEquals("ERROR", apache.get("level").asText());
        assertEquals("2005-12-04T04:47:44.000Z", apache.get("@timestamp").asText());

        Upload ndjson = new Upload("u3", "acme", "s", null, false, 0, "ndjson", null, null, 0);
        EventBatch batch = encoder.encode(new LineBatch(ndjson, "[1,2".getBytes(StandardCharsets.UTF_8), new int[] {0},
                new int[] {4}, new long[] {7}, 1, List.of(), 0, 0), exchangeFor(ndjson));
        assertEquals(JSON.readTree("[\"parse_error\"]"), JSON.readTree(batch.document(0)).get("tags"));
    }

    @Test
    void parseErrorsAreHandedOnWithTheirOriginalLine() throws Exception {
        var exchange = exchangeFor(UPLOAD);
        encoder.encode(new LineBatch(UPLOAD, "ok\n{bad".getBytes(StandardCharsets.UTF_8), new int[] {0, 3},
                new int[] {2, 7}, new long[] {1, 2}, 2, List.of(), 0, 0), exchange);
        assertEquals(List.of(new EventEncoder.ParseError(2, "{bad")), exchange.getVariable(EventEncoder.PARSE_ERRORS));
    }

    private static org.apache.camel.Exchange exchangeFor(Upload upload) {
        return new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
    }

    @Test
    void validJsonThatIsNotAnObjectIsAMessageWithoutParseError() throws Exception {
        JsonNode event = one("[1,2,3]");
        assertEquals("[1,2,3]", event.get("message").asText());
        assertFalse(event.has("tags"));
    }

    @Test
    void leadingWhitespaceBeforeAnObjectIsAllowed() throws Exception {
        JsonNode event = one(" \t{\"message\":\"indented\"}");
        assertEquals("indented", event.get("message").asText());
        assertFalse(event.has("tags"));
    }

    @Test
    void textOnlyUploadNeverParsesJson() throws Exception {
        Upload text = new Upload("u2", "acme", "s", null, true, 0);
        JsonNode event = encode(text, "{\"level\":\"warning\"}").get(0);
        assertEquals("{\"level\":\"warning\"}", event.get("message").asText());
        assertFalse(event.has("level"));
        assertFalse(event.has("environment"), "no environment given, none written");
    }

    @Test
    void logshipFieldsInTheLineAreReplacedNeverTrusted() throws Exception {
        JsonNode event = one("{\"tenant_id\":\"evil\",\"source\":\"s\",\"environment\":\"e\",\"upload_id\":\"x\","
                + "\"event_id\":\"x-1\",\"ingested_at\":\"1999\",\"message\":\"m\"}");
        assertEquals("acme", event.get("tenant_id").asText());
        assertEquals("app.log", event.get("source").asText(), "the upload's source wins over the line's");
        assertEquals("prod", event.get("environment").asText(), "the upload's environment wins over the line's");
        assertEquals(1, count(event.toString(), "\"environment\""), "exactly one environment: " + event);
        assertEquals(1, count(event.toString(), "\"source\""), "exactly one source: " + event);
        assertEquals("u1", event.get("upload_id").asText());
        assertEquals("u1-1", event.get("event_id").asText());
        assertTrue(event.get("ingested_at").asText().startsWith("20"));
        assertEquals(1, count(event.toString(), "\"tenant_id\""), "exactly one tenant_id on the wire: " + event);
    }

    @Test
    void levelIsNormalizedFromLevelSeverityOrLoglevel() throws Exception {
        assertEquals("WARN", one("{\"level\":\"warning\"}").get("level").asText());
        assertEquals("NOTICE", one("{\"level\":\"notice\"}").get("level").asText());
        JsonNode fromSeverity = one("{\"severity\":\"E\"}");
        assertEquals("ERROR", fromSeverity.get("level").asText());
        assertEquals("E", fromSeverity.get("severity").asText(), "the source field is kept");
        assertEquals("FATAL", one("{\"loglevel\":\"crit\"}").get("level").asText());
        assertEquals("DEBUG", one("{\"loglevel\":\"W\",\"severity\":\"D\"}").get("level").asText(), "severity before loglevel");
        assertEquals("INFO", one("{\"severity\":\"E\",\"level\":\"I\"}").get("level").asText(), "level before severity");
        assertEquals(1, count(one("{\"severity\":\"E\",\"level\":\"I\"}").toString(), "\"level\""));
    }

    @Test
    void timestampFromTimeFieldsWhenIsoOrEpoch() throws Exception {
        JsonNode iso = one("{\"time\":\"2024-03-05T10:15:30+01:00\"}");
        assertEquals("2024-03-05T09:15:30.000Z", iso.get("@timestamp").asText());
        assertEquals("2024-03-05T10:15:30+01:00", iso.get("time").asText(), "the source field is kept as it was");

        JsonNode epochMillis = one("{\"timestamp\":1709633730123}");
        assertEquals("2024-03-05T10:15:30.123Z", epochMillis.get("@timestamp").asText());
        assertEquals(1709633730123L, epochMillis.get("timestamp").asLong());

        assertEquals("2024-03-05T10:15:30.000Z", one("{\"time\":1709633730}").get("@timestamp").asText());
        assertEquals("2024-03-05T10:15:30.500Z", one("{\"time\":\"1709633730.5\"}").get("@timestamp").asText());

        JsonNode own = one("{\"@timestamp\":\"2024-03-05T10:15:30Z\",\"timestamp\":\"2020-01-01T00:00:00Z\"}");
        assertEquals("2024-03-05T10:15:30.000Z", own.get("@timestamp").asText(), "@timestamp wins over timestamp");
        assertEquals(1, count(own.toString(), "\"@timestamp\""));

        JsonNode later = one("{\"time\":\"2020-01-01T00:00:00Z\",\"timestamp\":\"2024-03-05T10:15:30Z\"}");
        assertEquals("2024-03-05T10:15:30.000Z", later.get("@timestamp").asText(), "timestamp wins over time");

        JsonNode fallsThrough = one("{\"@timestamp\":\"garbage\",\"time\":\"2024-03-05T10:15:30Z\"}");
        assertEquals("2024-03-05T10:15:30.000Z", fallsThrough.get("@timestamp").asText());
    }

    @Test
    void unreadableTimeMeansIngestTimeAndTheOriginalIsKept() throws Exception {
        JsonNode event = one("{\"time\":\"Sunday 4 December\",\"message\":\"m\"}");
        assertEquals("Sunday 4 December", event.get("time").asText());
        assertEquals(event.get("ingested_at").asText(), event.get("@timestamp").asText());

        JsonNode own = one("{\"@timestamp\":\"last tuesday\"}");
        assertEquals(own.get("ingested_at").asText(), own.get("@timestamp").asText());
        assertEquals("last tuesday", own.get("original_timestamp").asText(), "an unreadable @timestamp is not lost");

        JsonNode object = one("{\"time\":{\"h\":1}}");
        assertEquals(JSON.readTree("{\"h\":1}"), object.get("time"));
    }

    @Test
    void everyLineGetsItsOwnStableEventIdFromItsLineNumber() throws Exception {
        List<JsonNode> events = encode(UPLOAD, "a", "{\"b\":1}", "{c");
        assertEquals(List.of("u1-1", "u1-2", "u1-3"), events.stream().map(e -> e.get("event_id").asText()).toList());
        List<JsonNode> again = encode(UPLOAD, "a", "{\"b\":1}", "{c");
        assertEquals(events.stream().map(e -> e.get("event_id")).toList(), again.stream().map(e -> e.get("event_id")).toList());
        assertEquals("u1-7", EventId.of("u1", 7));
    }

    @Test
    void batchKeepsLineNumbersAndResumePoint() throws Exception {
        LineBatch lines = new LineBatch(UPLOAD, "x\ny".getBytes(StandardCharsets.UTF_8), new int[] {0, 2}, new int[] {1, 3},
                new long[] {4, 9}, 2, List.of(), 123, 10);
        EventBatch batch = encoder.encode(lines);
        assertEquals(2, batch.count());
        assertEquals(4, batch.line(0));
        assertEquals(9, batch.line(1));
        assertEquals(123, batch.resumeOffset());
        assertEquals(10, batch.resumeLine());
        assertEquals("u1-9", JSON.readTree(batch.document(1)).get("event_id").asText());
        assertEquals(batch.size(), batch.documentBytes(0) + batch.documentBytes(1));
    }

    @Test
    void monitorTestEventIsTagged() throws Exception {
        byte[] wire = encoder.encodeOne("hello", "monitor_test", new Upload("m", "ops", "logship-monitor", null, true, 0));
        assertEquals('\n', wire[wire.length - 1]);
        JsonNode event = JSON.readTree(wire);
        assertEquals(JSON.readTree("[\"monitor_test\"]"), event.get("tags"));
        assertEquals("ops", event.get("tenant_id").asText());
        assertEquals("m-1", event.get("event_id").asText());
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
