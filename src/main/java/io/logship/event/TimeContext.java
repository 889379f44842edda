package io.logship.event;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * What a timestamp without a zone or a year is read against: the upload's zone ({@code timezone}, else
 * DEFAULT_TIMEZONE) and the upload's time (a yearless date takes the year that puts it at most one day
 * after it). Holds the last parsed instant, so parsing allocates nothing: one per batch, not shared.
 */
public final class TimeContext {

    private static final long DAY_MILLIS = 86_400_000L;

    private final ZoneId zone;
    private final boolean utc;
    private final long uploadMillis;
    /** the year of the upload plus one day: the latest a yearless time can be in */
    private final int latestYear;
    /** the instant of the last successful parse, epoch milliseconds */
    long millis;
    /** the last text read whole and its instant: events in a row often carry the same second */
    private final byte[] lastText = new byte[64];
    private int lastLength = -1;
    private long lastMillis;

    public TimeContext(ZoneId zone, long uploadMillis) {
        this.zone = zone == null ? ZoneOffset.UTC : zone;
        this.utc = this.zone.normalized().equals(ZoneOffset.UTC);
        this.uploadMillis = uploadMillis;
        this.latestYear = LocalDateTime.ofEpochSecond(Math.floorDiv(uploadMillis + DAY_MILLIS, 1000), 0, ZoneOffset.UTC).getYear() + 1;
    }

    public static TimeContext utcNow() {
        return new TimeContext(ZoneOffset.UTC, System.currentTimeMillis());
    }

    public long millis() {
        return millis;
    }

    /** Whether {@code [from, to)} (at most 64 bytes) is the text read last by {@link EventTimestamp#parseMillis}. */
    boolean repeats(byte[] b, int from, int to) {
        return to - from == lastLength && Arrays.equals(b, from, to, lastText, 0, lastLength);
    }

    /** What the text read last gave: its instant, or {@link EventTimestamp#NONE}. */
    long repeated() {
        return lastMillis;
    }

    void remember(byte[] b, int from, int to, long result) {
        System.arraycopy(b, from, lastText, 0, to - from);
        lastLength = to - from;
        lastMillis = result;
    }

    /** A local date and time in the upload's zone. */
    boolean local(int year, int month, int day, int hour, int minute, int second, int milli) {
        if (!valid(year, month, day, hour, minute, second)) {
            return false;
        }
        long local = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        long offset = utc ? 0 : zone.getRules().getOffset(LocalDateTime.ofEpochSecond(local, 0, ZoneOffset.UTC)).getTotalSeconds();
        millis = (local - offset) * 1000 + milli;
        return true;
    }

    /** A date and time with its own UTC offset. */
    boolean offset(int year, int month, int day, int hour, int minute, int second, int milli, int offsetSeconds) {
        if (!valid(year, month, day, hour, minute, second)) {
            return false;
        }
        millis = (epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds) * 1000 + milli;
        return true;
    }

    /** No year written: the latest year that keeps the event at most one day after the upload. */
    boolean yearless(int month, int day, int hour, int minute, int second, int milli) {
        int year = latestYear;
        for (int tries = 0; tries < 10; tries++, year--) {
            if (local(year, month, day, hour, minute, second, milli) && millis <= uploadMillis + DAY_MILLIS) {
                return true;
            }
        }
        return false;
    }

    boolean epochMillis(long value) {
        millis = value;
        return true;
    }

    private static boolean valid(int year, int month, int day, int hour, int minute, int second) {
        return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= lengthOfMonth(year, month)
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the algorithm of java.time.LocalDate#toEpochDay). */
    private static long epochDay(long year, int month, int day) {
        long total = 365 * year;
        if (year >= 0) {
            total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        } else {
            total -= year / -4 - year / -100 + year / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            if (!leap) {
                total--;
            }
        }
        return total - 719_528;
    }
}
