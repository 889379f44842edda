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
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long millis = parseMillis(b, 0, b.length, ctx);
        return millis == NONE ? null : formatMillis(millis);
    }

    /** What {@link #parseMillis} answers for text that is no timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * Epoch milliseconds of the timestamp that is all of {@code [from, to)} (spaces around it aside), or
     * {@link #NONE}: the allocation-free form of {@link #parse(String, TimeContext)}, for raw JSON strings.
     */
    public static long parseMillis(byte[] b, int from, int to, TimeContext ctx) {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        if (from == to || to - from > 64) {
            return NONE;
        }
        if (ctx.repeats(b, from, to)) {
            return ctx.repeated();
        }
        long millis;
        if (isDecimal(b, from, to)) {
            millis = parseEpochMillis(Double.parseDouble(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)));
        } else {
            millis = TimestampFormat.parseWhole(b, from, to, ctx) ? ctx.millis : NONE;
        }
        ctx.remember(b, from, to, millis);
        return millis;
    }

    /** Epoch seconds or milliseconds, told apart by magnitude, as milliseconds; NONE when out of any plausible range. */
    public static long parseEpochMillis(double value) {
        double millis;
        if (value >= MIN_EPOCH_SECONDS && value < MAX_EPOCH_SECONDS) {
            millis = value * 1000;
        } else if (value >= MIN_EPOCH_SECONDS * 1000 && value < MAX_EPOCH_SECONDS * 1000) {
            millis = value;
        } else {
            return NONE;
        }
        return Math.round(millis);
    }

    /** Writes the wire form of epoch milliseconds into {@code c} at {@code at} (24 bytes); false outside years 0..9999. */
    static boolean write(long epochMillis, byte[] c, int at) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return false;
        }
        digits(c, at, (int) year, 4);
        c[at + 4] = '-';
        digits(c, at + 5, month, 2);
        c[at + 7] = '-';
        digits(c, at + 8, day, 2);
        c[at + 10] = 'T';
        digits(c, at + 11, secondOfDay / 3600, 2);
        c[at + 13] = ':';
        digits(c, at + 14, secondOfDay / 60 % 60, 2);
        c[at + 16] = ':';
        digits(c, at + 17, secondOfDay % 60, 2);
        c[at + 19] = '.';
        digits(c, at + 20, millis, 3);
        c[at + 23] = 'Z';
        return true;
    }

    private static void digits(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static boolean isDecimal(byte[] b, int from, int to) {
        if (to - from > 20) {
            return false;
        }
        boolean point = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '.' && !point && i > from) {
                point = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Epoch milliseconds on the wire; null outside years 0..9999. */
    public static String formatMillis(long millis) {
        return format(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000));
    }

    /** Epoch seconds or milliseconds, told apart by magnitude; null when out of any plausible range. */
    public static String parseEpoch(double value) {
        long ms = parseEpochMillis(value);
        return ms == NONE ? null : formatMillis(ms);
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
