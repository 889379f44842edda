package io.logship.event;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EventTimestampTest {

    @Test
    void wireFormatIsUtcWithMilliseconds() {
        assertEquals("2024-03-05T10:15:30.000Z", EventTimestamp.format(Instant.parse("2024-03-05T10:15:30Z")));
        assertEquals("2024-03-05T10:15:30.123Z", EventTimestamp.format(Instant.parse("2024-03-05T10:15:30.123987Z")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2024-03-05T10:15:30Z|2024-03-05T10:15:30.000Z",
            "2024-03-05T10:15:30.123Z|2024-03-05T10:15:30.123Z",
            "2024-03-05T10:15:30.123456789Z|2024-03-05T10:15:30.123Z",
            "2024-03-05T10:15:30+02:00|2024-03-05T08:15:30.000Z",
            "2024-03-05T10:15:30.5-05:30|2024-03-05T15:45:30.500Z",
            "2024-03-05T10:15:30+0200|2024-03-05T08:15:30.000Z",
            "2024-03-05T10:15:30|2024-03-05T10:15:30.000Z",
            "2024-03-05 10:15:30|2024-03-05T10:15:30.000Z",
            "2017-05-16 00:00:00.008|2017-05-16T00:00:00.008Z",
            "2024-03-05t10:15:30z|2024-03-05T10:15:30.000Z",
            "  2024-03-05T10:15:30Z  |2024-03-05T10:15:30.000Z",
            // a comma is ISO-8601's own decimal sign (and log4j's and Python logging's default): real Hadoop/Zookeeper lines
            "2015-10-18 18:01:47,978|2015-10-18T18:01:47.978Z",
            "2024-03-05T10:15:30,25Z|2024-03-05T10:15:30.250Z"})
    void iso8601(String text, String wire) {
        assertEquals(wire, EventTimestamp.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "1709633730|2024-03-05T10:15:30.000Z",
            "1709633730.25|2024-03-05T10:15:30.250Z",
            "1709633730123|2024-03-05T10:15:30.123Z",
            "1077804742|2004-02-26T14:12:22.000Z",
            "1000000000|2001-09-09T01:46:40.000Z"})
    void epochSecondsAndMillisecondsAsText(String text, String wire) {
        assertEquals(wire, EventTimestamp.parse(text));
    }

    @Test
    void epochNumbersAreToldApartByMagnitude() {
        assertEquals("2024-03-05T10:15:30.000Z", EventTimestamp.parseEpoch(1709633730d));
        assertEquals("2024-03-05T10:15:30.123Z", EventTimestamp.parseEpoch(1709633730123d));
        // small numbers are counters, not times; absurdly large ones are not times either
        assertNull(EventTimestamp.parseEpoch(42));
        assertNull(EventTimestamp.parseEpoch(999_999_999));
        assertNull(EventTimestamp.parseEpoch(1e17));
        assertNull(EventTimestamp.parseEpoch(-1709633730));
    }

    // The loghub data set's other formats, read as a person reads them (zone-less ones in UTC)
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Sun Dec 04 04:47:44 2005|2005-12-04T04:47:44.000Z",
            "Wed Oct 11 14:32:52.123456 2000|2000-10-11T14:32:52.123Z",
            "Sun Dec  4 04:47:44 2005|2005-12-04T04:47:44.000Z",
            "081109 203615|2008-11-09T20:36:15.000Z",
            "17/06/09 20:10:40|2017-06-09T20:10:40.000Z",
            "2005.11.09 12:01:01|2005-11-09T12:01:01.000Z",
            "2024/05/01 12:00:00|2024-05-01T12:00:00.000Z",
            "10/Oct/2000:13:55:36 -0700|2000-10-10T20:55:36.000Z"})
    void otherFormats(String text, String wire) {
        assertEquals(wire, EventTimestamp.parse(text));
    }

    @Test
    void yearlessTimesTakeTheYearThatPutsThemAtMostADayAfterTheUpload() {
        long newYear = Instant.parse("2025-01-01T00:30:00Z").toEpochMilli();
        TimeContext justAfterNewYear = new TimeContext(java.time.ZoneOffset.UTC, newYear);
        assertEquals("2024-12-31T23:59:00.000Z", EventTimestamp.parse("Dec 31 23:59:00", justAfterNewYear));
        assertEquals("2025-01-01T00:10:00.000Z", EventTimestamp.parse("Jan  1 00:10:00", justAfterNewYear));
        assertEquals("2025-01-01T20:00:00.000Z", EventTimestamp.parse("01-01 20:00:00.000", justAfterNewYear),
                "less than a day ahead: this year");
        assertEquals("2024-01-02T01:00:00.000Z", EventTimestamp.parse("01-02 01:00:00.000", justAfterNewYear),
                "more than a day ahead: last year");
        TimeContext justBeforeNewYear = new TimeContext(java.time.ZoneOffset.UTC,
                Instant.parse("2024-12-31T23:50:00Z").toEpochMilli());
        assertEquals("2025-01-01T00:05:00.000Z", EventTimestamp.parse("Jan 1 00:05:00", justBeforeNewYear),
                "a clock a few minutes ahead around New Year");
        assertEquals("2024-02-29T10:00:00.000Z", EventTimestamp.parse("Feb 29 10:00:00", justAfterNewYear),
                "29 February goes back to a leap year");
    }

    @Test
    void zonelessTimesAreReadInTheUploadsZone() {
        TimeContext berlin = new TimeContext(java.time.ZoneId.of("Europe/Berlin"), System.currentTimeMillis());
        assertEquals("2024-07-01T10:00:00.000Z", EventTimestamp.parse("2024-07-01 12:00:00", berlin), "summer time");
        assertEquals("2024-01-01T11:00:00.000Z", EventTimestamp.parse("2024-01-01 12:00:00", berlin));
        assertEquals("2024-07-01T12:00:00.000Z", EventTimestamp.parse("2024-07-01T12:00:00Z", berlin), "an own zone wins");
        assertEquals("2024-07-01T12:00:00.000Z", EventTimestamp.parse("1719835200", berlin), "epoch has no zone");
    }

    // Formats of the real loghub data set that no parser reads: the ingest time is used instead.
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "14 15:16:01",
            "Dec 06:55:46", "2005.06.03 2005-06-03-15.42.50.675872", "Sun Dec 04 04:47:44", "081109 2036150",
            "20171223-22:15:29:606", "1 09:00:55", "10.30 16:49:06", "2024-03-05", "2024-13-45T10:15:30Z",
            "2024-03-05T25:00:00Z", "yesterday", "42", "NaN", "Infinity"})
    void anythingElseIsNotGuessedAt(String text) {
        assertNull(EventTimestamp.parse(text));
    }

    @Test
    void timestampIsReadFromAtTimestampThenTimestampThenTime() {
        assertArrayEquals(new String[] {"@timestamp", "timestamp", "time", "date", "ts"}, EventTimestamp.SOURCE_FIELDS);
    }

    /** A context remembers the text it read last (events in a row share their second): it answers as a fresh one would. */
    @Test
    void aContextReadingTextsInARowAnswersAsAFreshContextForEach() {
        String[] texts = {"Sun Dec 04 04:47:44 2005", "Sun Dec 04 04:47:44 2005", "no time", "no time",
                "Sun Dec 04 04:47:44 2005", "1700000000", " 1700000000", "Jun 14 15:16:01", "Jun 14 15:16:02",
                "Jun 14 15:16:02", "2024-03-05T10:15:30+02:00", "2024-03-05T10:15:30+03:00", "Sun Dec 04 04:47:44 2005"};
        java.time.ZoneId zone = java.time.ZoneId.of("Europe/Berlin");
        long upload = Instant.parse("2024-06-20T12:00:00Z").toEpochMilli();
        TimeContext shared = new TimeContext(zone, upload);
        for (String text : texts) {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long fresh = EventTimestamp.parseMillis(b, 0, b.length, new TimeContext(zone, upload));
            assertEquals(fresh, EventTimestamp.parseMillis(b, 0, b.length, shared), text);
        }
    }
}
