package io.logship.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code @timestamp} on the wire: ISO-8601 UTC with milliseconds, read from ISO-8601 text or epoch
 * seconds/milliseconds. Anything else is not guessed at: the caller falls back to the ingest time.
 * Hand-parsed because it runs per event and most real timestamps are not ISO-8601: java.time's
 * parsers answer those with exceptions, which cost more than the rest of the event.
 */
public final class EventTimestamp {

    /** Fields a timestamp is read from, in order of preference. */
    public static final String[] SOURCE_FIELDS = {"@timestamp", "timestamp", "time"};

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

    /** The wire form of a textual timestamp, or null when it is neither ISO-8601 nor epoch digits. */
    public static String parse(String text) {
        String s = text.trim();
        if (s.length() >= 19 && s.charAt(4) == '-') {
            return parseIso(s);
        }
        return isDecimal(s) ? parseEpoch(Double.parseDouble(s)) : null;
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

    /**
     * {@code yyyy-MM-dd[T| ]HH:mm:ss[(.|,)fraction][Z|±hh[:]mm]}; no offset means UTC. ISO-8601 allows a
     * comma before the fraction, and log4j's and Python's defaults write one.
     */
    private static String parseIso(String s) {
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        char sep = s.charAt(10);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || s.charAt(7) != '-'
                || (sep != 'T' && sep != 't' && sep != ' ') || s.charAt(13) != ':' || s.charAt(16) != ':'
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int i = 19;
        int millis = 0;
        if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            int start = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int d = Math.min(i - start, 3); d < 3; d++) {
                millis *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < s.length()) {
            char sign = s.charAt(i);
            if ((sign == 'Z' || sign == 'z') && i + 1 == s.length()) {
                i++;
            } else if (sign == '+' || sign == '-') {
                String rest = s.substring(i + 1);
                int hh;
                int mm;
                if (rest.length() == 5 && rest.charAt(2) == ':') {
                    hh = number(rest, 0, 2);
                    mm = number(rest, 3, 2);
                } else if (rest.length() == 4 || rest.length() == 2) {
                    hh = number(rest, 0, 2);
                    mm = rest.length() == 4 ? number(rest, 2, 2) : 0;
                } else {
                    return null;
                }
                if (hh < 0 || hh > 18 || mm < 0 || mm > 59) {
                    return null;
                }
                offsetSeconds = (sign == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
                i = s.length();
            } else {
                return null;
            }
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return format(epochSecond, millis);
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

    /** The non-negative number of {@code length} digits at {@code from}, or -1. */
    private static int number(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
