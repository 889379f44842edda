package io.logship.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/**
 * {@code @timestamp} on the wire: ISO-8601 UTC with milliseconds, read from ISO-8601 text or epoch
 * seconds/milliseconds. Anything else is not guessed at: the caller falls back to the ingest time.
 */
public final class EventTimestamp {

    /** Fields a timestamp is read from, in order of preference. */
    public static final String[] SOURCE_FIELDS = {"@timestamp", "timestamp", "time"};

    private static final DateTimeFormatter WIRE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").toFormatter().withZone(ZoneOffset.UTC);

    // ISO-8601 with 'T' or a space, optional fraction, optional offset (no offset means UTC).
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();

    // ISO-8601 allows a comma as the decimal sign, and log4j's and Python logging's defaults write one
    // ("2015-10-18 18:01:47,978"); java.time only reads a full stop.
    private static final Pattern DECIMAL_COMMA = Pattern.compile("(:\\d\\d),(?=\\d)");

    // Epoch values before 2001-09-09 in seconds (1e9) are more likely counters than timestamps.
    private static final double MIN_EPOCH_SECONDS = 1e9;
    private static final double MAX_EPOCH_SECONDS = 1e11;

    private EventTimestamp() {
    }

    public static String format(Instant instant) {
        return WIRE.format(instant);
    }

    /** The wire form of a textual timestamp, or null when it is neither ISO-8601 nor epoch digits. */
    public static String parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        char first = s.charAt(0);
        if (s.length() >= 10 && s.charAt(4) == '-' && Character.isDigit(first)) {
            s = DECIMAL_COMMA.matcher(s).replaceFirst("$1.");
            try {
                return format(OffsetDateTime.parse(s, ISO).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return format(LocalDateTime.parse(s, ISO).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException ignored) {
                    return null;
                }
            }
        }
        if (Character.isDigit(first)) {
            try {
                return parseEpoch(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Epoch seconds or milliseconds, told apart by magnitude; null when out of any plausible range. */
    public static String parseEpoch(double value) {
        if (value >= MIN_EPOCH_SECONDS && value < MAX_EPOCH_SECONDS) {
            return format(Instant.ofEpochMilli(Math.round(value * 1000)));
        }
        if (value >= MIN_EPOCH_SECONDS * 1000 && value < MAX_EPOCH_SECONDS * 1000) {
            return format(Instant.ofEpochMilli(Math.round(value)));
        }
        return null;
    }
}
