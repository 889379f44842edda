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

    // Formats of the real loghub data set that are not ISO-8601 or epoch: the ingest time is used instead.
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "Sun Dec 04 04:47:44 2005", "081109 203615", "17/06/09 20:10:40", "14 15:16:01",
            "Dec 06:55:46", "2005.11.09 12:01:01", "03-17 16:13:38.811", "2005.06.03 2005-06-03-15.42.50.675872",
            "20171223-22:15:29:606", "1 09:00:55", "10.30 16:49:06", "2024-03-05", "2024-13-45T10:15:30Z",
            "2024-03-05T25:00:00Z", "yesterday", "42", "NaN", "Infinity"})
    void anythingElseIsNotGuessedAt(String text) {
        assertNull(EventTimestamp.parse(text));
    }

    @Test
    void timestampIsReadFromAtTimestampThenTimestampThenTime() {
        assertArrayEquals(new String[] {"@timestamp", "timestamp", "time"}, EventTimestamp.SOURCE_FIELDS);
    }
}
