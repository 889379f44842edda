package io.logship.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Common line formats, each detected from a few lines of it as an upload's first lines would be. */
class LineFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long UPLOADED = java.time.Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    private static List<JsonNode> eventsOf(String format, String timezone, String... lines) throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] starts = new int[lines.length];
        int[] ends = new int[lines.length];
        long[] numbers = new long[lines.length];
        for (int i = 0; i < lines.length; i++) {
            starts[i] = data.size();
            data.writeBytes(lines[i].getBytes(StandardCharsets.UTF_8));
            ends[i] = data.size();
            numbers[i] = i + 1;
        }
        Upload upload = new Upload("u", "acme", "s", null, format != null, 0, format == null ? "auto" : format, timezone,
                null, UPLOADED);
        LineFormat named = LineFormat.named(format);
        EventBatch batch = new EventEncoder().encode(new LineBatch(upload, data.toByteArray(), starts, ends, numbers,
                lines.length, List.of(), 0, 0, named, new byte[lines.length]));
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < batch.count(); i++) {
            events.add(JSON.readTree(batch.document(i)));
        }
        return events;
    }

    private static List<JsonNode> events(String... lines) throws Exception {
        return eventsOf(null, null, lines);
    }

    private static void assertEvent(JsonNode event, String timestamp, String level) {
        assertEquals(timestamp, event.get("@timestamp").asText(), event::toString);
        if (level == null) {
            assertFalse(event.has("level"), event::toString);
        } else {
            assertEquals(level, event.path("level").asText(), event::toString);
        }
    }

    @Test
    void rfc3164SyslogWithAndWithoutPriority() throws Exception {
        List<JsonNode> events = events("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8",
                "<13>Oct 11 22:14:16 mymachine cron: ok",
                "Oct 11 22:14:17 mymachine kernel: no priority");
        assertEvent(events.get(0), "2023-10-11T22:14:15.000Z", "FATAL");
        assertEquals("mymachine", events.get(0).at("/host/name").asText());
        assertEquals("su", events.get(0).at("/process/name").asText());
        assertEquals(230, events.get(0).at("/process/pid").asInt());
        assertEvent(events.get(1), "2023-10-11T22:14:16.000Z", "NOTICE");
        assertEquals("cron", events.get(1).at("/process/name").asText());
        assertFalse(events.get(1).at("/process/pid").isNumber());
        assertEvent(events.get(2), "2023-10-11T22:14:17.000Z", null);
        assertEquals("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8",
                events.get(0).get("message").asText(), "the whole line stays the message");
    }

    @Test
    void rfc5424Syslog() throws Exception {
        List<JsonNode> events = events("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 81 ID47 - An application event",
                "<163>1 2003-10-11T22:14:16.003+02:00 host2 app - - - failed");
        assertEvent(events.get(0), "2003-10-11T22:14:15.003Z", "NOTICE");
        assertEquals("mymachine.example.com", events.get(0).at("/host/name").asText());
        assertEvent(events.get(1), "2003-10-11T20:14:16.003Z", "ERROR");
        List<JsonNode> named = eventsOf("rfc5424", null, "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 81 ID47 - x");
        assertEquals("evntslog", named.get(0).at("/process/name").asText());
        assertEquals(81, named.get(0).at("/process/pid").asInt());
    }

    @Test
    void apacheAndNginxErrorLogs() throws Exception {
        List<JsonNode> apache = events("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist",
                "[Wed Oct 11 14:32:53.000001 2000] [ssl:warn] [pid 1] AH01909: server certificate does NOT include an ID");
        assertEvent(apache.get(0), "2000-10-11T14:32:52.123Z", "ERROR");
        assertEvent(apache.get(1), "2000-10-11T14:32:53.000Z", "WARN");
        List<JsonNode> nginx = events("2024/05/01 12:00:00 [error] 1234#1234: *1 open() \"/x\" failed",
                "2024/05/01 12:00:01 [notice] 1#1: signal process started");
        assertEvent(nginx.get(0), "2024-05-01T12:00:00.000Z", "ERROR");
        assertEvent(nginx.get(1), "2024-05-01T12:00:01.000Z", "NOTICE");
    }

    @Test
    void accessLogsCommonAndCombined() throws Exception {
        List<JsonNode> events = events("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
                "10.0.0.2 - - [10/Oct/2000:13:55:37 +0000] \"GET / HTTP/1.1\" 404 0 \"http://x/\" \"Mozilla/5.0\"");
        assertEvent(events.get(0), "2000-10-10T20:55:36.000Z", null);
        assertEvent(events.get(1), "2000-10-10T13:55:37.000Z", null);
    }

    @Test
    void log4jLogbackAndPythonLayouts() throws Exception {
        List<JsonNode> log4j = events("2024-05-01 12:00:00,123 INFO [main] com.example.App - started",
                "2024-05-01 12:00:01.456 WARN [main] com.example.App - slow");
        assertEvent(log4j.get(0), "2024-05-01T12:00:00.123Z", "INFO");
        assertEvent(log4j.get(1), "2024-05-01T12:00:01.456Z", "WARN");
        List<JsonNode> logback = events("2024-05-01 12:00:00.123 [main] ERROR com.example.App - failed",
                "2024-05-01 12:00:00.124 [main] DEBUG com.example.App - detail");
        assertEvent(logback.get(0), "2024-05-01T12:00:00.123Z", "ERROR");
        assertEvent(logback.get(1), "2024-05-01T12:00:00.124Z", "DEBUG");
        List<JsonNode> python = eventsOf("log4j", null, "2024-05-01 12:00:00,123 - app.db - WARNING - retrying",
                "2024-05-01 12:00:00,999 - app.db - CRITICAL - gave up");
        assertEvent(python.get(0), "2024-05-01T12:00:00.123Z", "WARN");
        assertEvent(python.get(1), "2024-05-01T12:00:00.999Z", "FATAL");
    }

    @Test
    void isoAndEpochPrefixedLines() throws Exception {
        List<JsonNode> iso = events("2024-05-01T12:00:00Z something happened", "2024-05-01T12:00:01+02:00 something else");
        assertEvent(iso.get(0), "2024-05-01T12:00:00.000Z", null);
        assertEvent(iso.get(1), "2024-05-01T10:00:01.000Z", null);
        List<JsonNode> epoch = events("1714564800 ERROR disk full", "1714564801.250 INFO ok", "1714564802123 INFO ms");
        assertEvent(epoch.get(0), "2024-05-01T12:00:00.000Z", "ERROR");
        assertEvent(epoch.get(1), "2024-05-01T12:00:01.250Z", "INFO");
        assertEvent(epoch.get(2), "2024-05-01T12:00:02.123Z", "INFO");
    }

    @Test
    void logcatHadoopSparkAndWindowsCbs() throws Exception {
        List<JsonNode> logcat = events("03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
                "03-17 16:13:38.812  1702  2395 V Tag: verbose", "03-17 16:13:38.813  1702  2395 E Tag: boom");
        assertEvent(logcat.get(0), "2024-03-17T16:13:38.811Z", "DEBUG");
        assertEquals("WindowManager", logcat.get(0).at("/log/logger").asText());
        assertEvent(logcat.get(1), "2024-03-17T16:13:38.812Z", "TRACE");
        assertEvent(logcat.get(2), "2024-03-17T16:13:38.813Z", "ERROR");
        List<JsonNode> hdfs = events("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating");
        assertEvent(hdfs.get(0), "2008-11-09T20:36:15.000Z", "INFO");
        assertEquals("dfs.DataNode$PacketResponder", hdfs.get(0).at("/log/logger").asText());
        List<JsonNode> spark = events("17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered");
        assertEvent(spark.get(0), "2017-06-09T20:10:40.000Z", "INFO");
        List<JsonNode> cbs = events("2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack",
                "2016-09-28 04:30:31, Warning               CBS    Failed");
        assertEvent(cbs.get(0), "2016-09-28T04:30:30.000Z", "INFO");
        assertEvent(cbs.get(1), "2016-09-28T04:30:31.000Z", "WARN");
    }

    @Test
    void aBareLevelTokenNearTheStart() throws Exception {
        List<JsonNode> events = events("[ERROR] could not connect", "ERROR: again", "WARNING something", "no level here");
        assertEquals("ERROR", events.get(0).get("level").asText());
        assertEquals("ERROR", events.get(1).get("level").asText());
        assertEquals("WARN", events.get(2).get("level").asText());
        assertFalse(events.get(3).has("level"), "no guess: " + events.get(3));
        List<JsonNode> letters = events("I 12:00 start", "W 12:01 slow", "E 12:02 failed");
        assertEquals(List.of("INFO", "WARN", "ERROR"), letters.stream().map(e -> e.get("level").asText()).toList());
        assertFalse(events("I think it works").get(0).has("level"), "a lone letter in prose is not a level");
    }

    @Test
    void anUnknownFormatIsKeptAsItIsWithTheIngestTimeAndNoLevel() throws Exception {
        List<JsonNode> events = events("just some words", "and more of them: 42");
        for (JsonNode event : events) {
            assertEquals(event.get("ingested_at").asText(), event.get("@timestamp").asText());
            assertFalse(event.has("level"));
            assertFalse(event.has("tags"));
            assertEquals(7, event.size(), "message, @timestamp and the logship fields (no environment given): " + event);
        }
    }

    @Test
    void theTimezoneOfTheUploadReadsZonelessTimes() throws Exception {
        List<JsonNode> berlin = eventsOf(null, "Europe/Berlin", "2024-07-01 12:00:00,000 INFO x", "2024-07-01T12:00:00Z INFO y");
        assertEvent(berlin.get(0), "2024-07-01T10:00:00.000Z", "INFO");
        assertEvent(berlin.get(1), "2024-07-01T12:00:00.000Z", "INFO");
    }

    @Test
    void aFormatHintSkipsDetection() throws Exception {
        // one line alone would be read by detection as well; the hint fixes the layout even for a line that does not fit it
        List<JsonNode> events = eventsOf("spark", null, "17/06/09 20:10:40 INFO a: b", "not a spark line ERROR");
        assertEvent(events.get(0), "2017-06-09T20:10:40.000Z", "INFO");
        assertEquals(events.get(1).get("ingested_at").asText(), events.get(1).get("@timestamp").asText());
        assertFalse(events.get(1).has("level"), "the spark layout has its level right after the time");
        assertNull(LineFormat.named("nonsense"));
    }
}
