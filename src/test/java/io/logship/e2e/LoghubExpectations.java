package io.logship.e2e;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What DESIGN.md says an event of the loghub data set must look like on the wire, worked out here
 * independently of logship's own code (its alias table and timestamp rules written out again).
 */
final class LoghubExpectations {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("warning", "WARN"), Map.entry("w", "WARN"), Map.entry("err", "ERROR"), Map.entry("e", "ERROR"),
            Map.entry("severe", "ERROR"), Map.entry("i", "INFO"), Map.entry("information", "INFO"), Map.entry("d", "DEBUG"),
            Map.entry("v", "TRACE"), Map.entry("verbose", "TRACE"), Map.entry("t", "TRACE"), Map.entry("f", "FATAL"),
            Map.entry("crit", "FATAL"), Map.entry("critical", "FATAL"), Map.entry("emerg", "FATAL"), Map.entry("alert", "FATAL"));
    private static final Pattern ISO_LOCAL = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:[.,](\\d{1,9}))?");
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{10}");
    /** The other layouts of the data set that a person reads as a time (zone-less: UTC), with their java.time patterns. */
    private static final Map<Pattern, String> OTHER_LAYOUTS = Map.of(
            Pattern.compile("\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:\\d{2} \\d{4}"), "EEE MMM dd HH:mm:ss yyyy",
            Pattern.compile("\\d{6} \\d{6}"), "yyMMdd HHmmss",
            Pattern.compile("\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}"), "yy/MM/dd HH:mm:ss",
            Pattern.compile("\\d{4}\\.\\d{2}\\.\\d{2} \\d{2}:\\d{2}:\\d{2}"), "yyyy.MM.dd HH:mm:ss");
    private static final Pattern LOGCAT = Pattern.compile("\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LoghubExpectations() {
    }

    static String level(String raw) {
        String lower = raw.trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(lower, raw.trim().toUpperCase(Locale.ROOT));
    }

    /** The expected @timestamp for a loghub {@code time}, or null when it must be the ingest time. */
    static String timestamp(String time) {
        Matcher iso = ISO_LOCAL.matcher(time);
        if (iso.matches()) {
            String fraction = iso.group(3) == null ? "" : "." + iso.group(3);
            return WIRE.format(LocalDateTime.parse(iso.group(1) + "T" + iso.group(2) + fraction).toInstant(ZoneOffset.UTC));
        }
        if (EPOCH_SECONDS.matcher(time).matches()) {
            return WIRE.format(Instant.ofEpochSecond(Long.parseLong(time)));
        }
        for (Map.Entry<Pattern, String> layout : OTHER_LAYOUTS.entrySet()) {
            if (layout.getKey().matcher(time).matches()) {
                String pattern = layout.getValue();
                boolean twoDigitYear = pattern.startsWith("yy/") || pattern.startsWith("yyMMdd");
                // two-digit years are 20yy
                return WIRE.format(LocalDateTime.parse(twoDigitYear ? "20" + time : time,
                        DateTimeFormatter.ofPattern(twoDigitYear ? "yy" + pattern : pattern, Locale.ENGLISH)).toInstant(ZoneOffset.UTC));
            }
        }
        if (LOGCAT.matcher(time).matches()) {
            // no year: the one that puts it at most a day after the upload (the test uploads now)
            long limit = System.currentTimeMillis() + 86_400_000L;
            for (int year = LocalDateTime.now(ZoneOffset.UTC).getYear() + 1; ; year--) {
                Instant t = LocalDateTime.parse(year + "-" + time.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                if (t.toEpochMilli() <= limit) {
                    return WIRE.format(t);
                }
            }
        }
        return null;
    }

    /** Asserts one event against the loghub line it came from. */
    static void assertEvent(JsonNode line, JsonNode event) {
        for (String field : new String[] {"system", "message", "logger", "time"}) {
            assertEquals(line.get(field), event.get(field), () -> field + " of " + line);
        }
        if (line.has("level")) {
            assertEquals(level(line.get("level").asText()), event.get("level").asText(), () -> "level of " + line);
        } else {
            assertFalse(event.has("level"), () -> "no level invented for " + line);
        }
        String expected = timestamp(line.get("time").asText());
        assertEquals(expected != null ? expected : event.get("ingested_at").asText(), event.get("@timestamp").asText(),
                () -> "@timestamp of " + line);
    }
}
