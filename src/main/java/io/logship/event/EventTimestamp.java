package io.logship.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code @timestamp} on the wire: ISO-8601 UTC with milliseconds, read from epoch seconds/milliseconds or
 * any {@link TimestampFormat}. Anything else is not guessed at: the caller falls back to the ingest time.
 * Hand-parsed because it runs per event: java.time's parsers answer a mismatch with an exception, which
 * costs more than the rest of the event.
 */
public final class EventTimestamp {

    /** Fields a timestamp is read from, in order of preference. */
    public static final String[] SOURCE_FIELDS = {"@timestamp", "timestamp", "time", "date", "ts"};

    // Epoch values before 2001-09-09 in seconds (1e9) are more likely counters than timestamps.
    private static final double MIN_EPOCH_SECONDS = 1e9;
    private static final double MAX_EPOCH_SECONDS = 1e11;

    private EventTimestamp() {
    }

    public static String format(Instant instant) {
        return format(instant.getEpochSecond(), instant.getNano() / 1_000_000);
    }

    private static String format(long epochSecond, int millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return null;
        }
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(c, 0, year, 4);
        digits(c, 5, t.getMonthValue(), 2);
        digits(c, 8, t.getDayOfMonth(), 2);
        digits(c, 11, t.getHour(), 2);
        digits(c, 14, t.getMinute(), 2);
        digits(c, 17, t.getSecond(), 2);
        digits(c, 20, millis, 3);
        return new String(c);
    }

    /** The wire form of a textual timestamp read as UTC against the current time, or null. */
    public static String parse(String text) {
        return parse(text, TimeContext.utcNow());
    }

    /**
     * The wire form of a textual timestamp in any {@link TimestampFormat} (the same set that reads text
     * lines), zone-less and yearless ones read against {@code ctx}; null when it is none of them.
     */
    public static String parse(String text, TimeContext ctx) {
        String s = text.trim();
        if (isDecimal(s)) {
            return parseEpoch(Double.parseDouble(s));
        }
        if (s.length() > 64) {
            return null;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return TimestampFormat.parseWhole(b, 0, b.length, ctx) ? formatMillis(ctx.millis) : null;
    }

    /** Epoch milliseconds on the wire; null outside years 0..9999. */
    public static String formatMillis(long millis) {
        return format(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000));
    }

    /** Epoch seconds or milliseconds, told apart by magnitude; null when out of any plausible range. */
    public static String parseEpoch(double value) {
        double millis;
        if (value >= MIN_EPOCH_SECONDS && value < MAX_EPOCH_SECONDS) {
            millis = value * 1000;
        } else if (value >= MIN_EPOCH_SECONDS * 1000 && value < MAX_EPOCH_SECONDS * 1000) {
            millis = value;
        } else {
            return null;
        }
        long ms = Math.round(millis);
        return format(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000));
    }

    /** Digits with at most one decimal point: the only text read as an epoch value. */
    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        boolean point = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.' && !point && i > 0) {
                point = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
