package io.logship.event;

/**
 * The timestamp layouts logship reads, in log lines and in JSON fields alike. Each is a hand-written
 * scanner over bytes: it answers where the timestamp ends (or -1) and leaves the instant in the
 * {@link TimeContext}, without exceptions or allocation, because it runs once per event.
 */
public enum TimestampFormat {

    /** {@code 2024-05-01T12:00:00.123+02:00}, {@code 2024-05-01 12:00:00,123}, also with {@code /} or {@code .} between date parts (nginx, Thunderbird) */
    ISO {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 19) {
                return -1;
            }
            byte sep = b[i + 4];
            if (sep != '-' && sep != '/' && sep != '.') {
                return -1;
            }
            int year = num(b, i, 4);
            int month = num(b, i + 5, 2);
            int day = num(b, i + 8, 2);
            byte t = b[i + 10];
            if (year < 0 || month < 0 || day < 0 || b[i + 7] != sep || (t != 'T' && t != 't' && t != ' ')) {
                return -1;
            }
            return time(b, i + 11, to, ctx, year, month, day, true);
        }
    },
    /** epoch seconds (10 digits, optional fraction) or milliseconds (13 digits) */
    EPOCH {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            int end = i;
            long value = 0;
            while (end < to && isDigit(b[end]) && end - i < 14) {
                value = value * 10 + (b[end] - '0');
                end++;
            }
            int digits = end - i;
            if (digits == 13 && value >= 1_000_000_000_000L && value < 100_000_000_000_000L) {
                return boundary(b, end, to) ? (ctx.epochMillis(value) ? end : -1) : -1;
            }
            if (digits != 10) {
                return -1;
            }
            int milli = 0;
            if (end + 1 < to && b[end] == '.' && isDigit(b[end + 1])) {
                int[] fractionEnd = new int[1];
                milli = fractionMillis(b, end + 1, to, fractionEnd);
                end = fractionEnd[0];
            }
            return boundary(b, end, to) && ctx.epochMillis(value * 1000 + milli) ? end : -1;
        }
    },
    /** C's ctime and Apache's error log: {@code Sun Dec 04 04:47:44 2005}, {@code Wed Oct 11 14:32:52.123456 2000} */
    CTIME {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 24 || !isLetter(b[i]) || !isLetter(b[i + 1]) || !isLetter(b[i + 2]) || b[i + 3] != ' ') {
                return -1;
            }
            int month = month(b, i + 4, to);
            if (month < 0 || b[i + 7] != ' ') {
                return -1;
            }
            int p = i + 8;
            if (b[p] == ' ') {
                p++;
            }
            int day = digits(b, p, to, 1, 2);
            if (day < 0) {
                return -1;
            }
            p += (p + 1 < to && isDigit(b[p + 1])) ? 2 : 1;
            if (p >= to || b[p] != ' ') {
                return -1;
            }
            int[] end = {0};
            int hms = clock(b, p + 1, to, end);
            if (hms < 0 || end[0] + 5 > to || b[end[0]] != ' ') {
                return -1;
            }
            int year = num(b, end[0] + 1, 4);
            int after = end[0] + 5;
            if (year < 0 || !boundary(b, after, to)) {
                return -1;
            }
            return ctx.local(year, month, day, hms / 10_000_000, hms / 100_000 % 100, hms / 1000 % 100, hms % 1000) ? after : -1;
        }
    },
    /** RFC 3164 syslog, yearless: {@code Jun 14 15:16:01}, {@code Nov  9 12:01:01} */
    SYSLOG {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            int month = month(b, i, to);
            if (month < 0 || i + 3 >= to || b[i + 3] != ' ') {
                return -1;
            }
            int p = i + 4;
            if (p < to && b[p] == ' ') {
                p++;
            }
            int day = digits(b, p, to, 1, 2);
            if (day < 0) {
                return -1;
            }
            p += (p + 1 < to && isDigit(b[p + 1])) ? 2 : 1;
            if (p >= to || b[p] != ' ') {
                return -1;
            }
            int[] end = {0};
            int hms = clock(b, p + 1, to, end);
            if (hms < 0 || !boundary(b, end[0], to)) {
                return -1;
            }
            return ctx.yearless(month, day, hms / 10_000_000, hms / 100_000 % 100, hms / 1000 % 100, hms % 1000) ? end[0] : -1;
        }
    },
    /** Android logcat, yearless: {@code 03-17 16:13:38.811} */
    LOGCAT {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 14 || b[i + 2] != '-' || b[i + 5] != ' ') {
                return -1;
            }
            int month = num(b, i, 2);
            int day = num(b, i + 3, 2);
            int[] end = {0};
            int hms = clock(b, i + 6, to, end);
            if (month < 0 || day < 0 || hms < 0 || !boundary(b, end[0], to)) {
                return -1;
            }
            return ctx.yearless(month, day, hms / 10_000_000, hms / 100_000 % 100, hms / 1000 % 100, hms % 1000) ? end[0] : -1;
        }
    },
    /** Hadoop HDFS: {@code 081109 203615} (yyMMdd HHmmss) */
    COMPACT {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 13 || b[i + 6] != ' ') {
                return -1;
            }
            int date = num(b, i, 6);
            int time = num(b, i + 7, 6);
            if (date < 0 || time < 0 || !boundary(b, i + 13, to)) {
                return -1;
            }
            return ctx.local(2000 + date / 10000, date / 100 % 100, date % 100, time / 10000, time / 100 % 100, time % 100, 0)
                    ? i + 13 : -1;
        }
    },
    /** Spark and log4j's ISO8601-less layouts: {@code 17/06/09 20:10:40} (yy/MM/dd HH:mm:ss) */
    SHORT_YEAR {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 17 || b[i + 2] != '/' || b[i + 5] != '/' || b[i + 8] != ' ') {
                return -1;
            }
            int year = num(b, i, 2);
            int month = num(b, i + 3, 2);
            int day = num(b, i + 6, 2);
            if (year < 0 || month < 0 || day < 0) {
                return -1;
            }
            return time(b, i + 9, to, ctx, 2000 + year, month, day, false);
        }
    },
    /** Common and Combined access logs: {@code 10/Oct/2000:13:55:36 -0700} */
    ACCESS {
        @Override
        int parse(byte[] b, int i, int to, TimeContext ctx) {
            if (to - i < 20 || b[i + 2] != '/' || b[i + 6] != '/' || b[i + 11] != ':') {
                return -1;
            }
            int day = num(b, i, 2);
            int month = month(b, i + 3, to);
            int year = num(b, i + 7, 4);
            int[] end = {0};
            int hms = clock(b, i + 12, to, end);
            if (day < 0 || month < 0 || year < 0 || hms < 0) {
                return -1;
            }
            int p = end[0];
            int offset = Integer.MIN_VALUE;
            if (p + 6 <= to && b[p] == ' ') {
                offset = offset(b, p + 1, p + 6);
                if (offset != Integer.MIN_VALUE) {
                    p += 6;
                }
            }
            if (!boundary(b, p, to)) {
                return -1;
            }
            boolean ok = offset == Integer.MIN_VALUE
                    ? ctx.local(year, month, day, hms / 10_000_000, hms / 100_000 % 100, hms / 1000 % 100, hms % 1000)
                    : ctx.offset(year, month, day, hms / 10_000_000, hms / 100_000 % 100, hms / 1000 % 100, hms % 1000, offset);
            return ok ? p : -1;
        }
    };

    private static final byte[] MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final TimestampFormat[] ALL = values();

    /** @return where the timestamp that starts at {@code from} ends, or -1; the instant is left in {@code ctx} */
    abstract int parse(byte[] b, int from, int to, TimeContext ctx);

    /** The whole of {@code [from, to)} is a timestamp in one of the formats: for JSON fields. */
    public static boolean parseWhole(byte[] b, int from, int to, TimeContext ctx) {
        for (TimestampFormat format : ALL) {
            if (format.parse(b, from, to, ctx) == to) {
                return true;
            }
        }
        return false;
    }

    /** {@code HH:mm:ss[(.|,)fraction]} then, when {@code zoned}, an optional {@code Z} or offset. */
    private static int time(byte[] b, int i, int to, TimeContext ctx, int year, int month, int day, boolean zoned) {
        int[] end = {0};
        int hms = clock(b, i, to, end);
        if (hms < 0) {
            return -1;
        }
        int p = end[0];
        int hour = hms / 10_000_000;
        int minute = hms / 100_000 % 100;
        int second = hms / 1000 % 100;
        int milli = hms % 1000;
        if (zoned && p < to) {
            byte z = b[p];
            if (z == 'Z' || z == 'z') {
                return boundary(b, p + 1, to) && ctx.offset(year, month, day, hour, minute, second, milli, 0) ? p + 1 : -1;
            }
            if (z == '+' || z == '-') {
                int zoneEnd = p + 1;
                while (zoneEnd < to && (isDigit(b[zoneEnd]) || b[zoneEnd] == ':') && zoneEnd - p < 6) {
                    zoneEnd++;
                }
                int offset = offset(b, p, zoneEnd);
                if (offset != Integer.MIN_VALUE && boundary(b, zoneEnd, to)) {
                    return ctx.offset(year, month, day, hour, minute, second, milli, offset) ? zoneEnd : -1;
                }
                return -1;
            }
        }
        return boundary(b, p, to) && ctx.local(year, month, day, hour, minute, second, milli) ? p : -1;
    }

    /**
     * {@code HH:mm:ss} with an optional fraction after {@code .}, {@code ,} or {@code :} (three digits);
     * @return HHmmssSSS as one number, or -1; {@code end[0]} is where it stops
     */
    private static int clock(byte[] b, int i, int to, int[] end) {
        if (to - i < 8 || b[i + 2] != ':' || b[i + 5] != ':') {
            return -1;
        }
        int hour = num(b, i, 2);
        int minute = num(b, i + 3, 2);
        int second = num(b, i + 6, 2);
        if (hour < 0 || minute < 0 || second < 0) {
            return -1;
        }
        int p = i + 8;
        int milli = 0;
        end[0] = p;
        if (p + 1 < to && (b[p] == '.' || b[p] == ',') && isDigit(b[p + 1])) {
            milli = fractionMillis(b, p + 1, to, end);
        }
        return ((hour * 100 + minute) * 100 + second) * 1000 + milli;
    }

    /**
     * The digits of a fraction of a second from {@code start}, as milliseconds (digits past the third are read and
     * dropped); {@code end[0]} is where they stop.
     */
    private static int fractionMillis(byte[] b, int start, int to, int[] end) {
        int p = start;
        int milli = 0;
        while (p < to && isDigit(b[p])) {
            if (p - start < 3) {
                milli = milli * 10 + (b[p] - '0');
            }
            p++;
        }
        for (int d = Math.min(p - start, 3); d < 3; d++) {
            milli *= 10;
        }
        end[0] = p;
        return milli;
    }

    /** {@code ±hh}, {@code ±hhmm} or {@code ±hh:mm} filling {@code [i, to)}: seconds east of UTC, or MIN_VALUE. */
    private static int offset(byte[] b, int i, int to) {
        if (i >= to || (b[i] != '+' && b[i] != '-')) {
            return Integer.MIN_VALUE;
        }
        int n = to - i - 1;
        int hh;
        int mm;
        if (n == 5 && b[i + 3] == ':') {
            hh = num(b, i + 1, 2);
            mm = num(b, i + 4, 2);
        } else if (n == 4 || n == 2) {
            hh = num(b, i + 1, 2);
            mm = n == 4 ? num(b, i + 3, 2) : 0;
        } else {
            return Integer.MIN_VALUE;
        }
        if (hh < 0 || hh > 18 || mm < 0 || mm > 59) {
            return Integer.MIN_VALUE;
        }
        return (b[i] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
    }

    /** A three-letter English month name at {@code i}: 1..12, or -1. */
    private static int month(byte[] b, int i, int to) {
        if (to - i < 3) {
            return -1;
        }
        int c0 = b[i] | 0x20;
        int c1 = b[i + 1] | 0x20;
        int c2 = b[i + 2] | 0x20;
        for (int m = 0; m < 12; m++) {
            if (MONTHS[m * 3] == c0 && MONTHS[m * 3 + 1] == c1 && MONTHS[m * 3 + 2] == c2) {
                return m + 1;
            }
        }
        return -1;
    }

    /** A timestamp ends at the end, or before anything that cannot continue a word or number. */
    private static boolean boundary(byte[] b, int p, int to) {
        return p >= to || !(isDigit(b[p]) || isLetter(b[p]));
    }

    /** {@code min..max} digits at {@code i}, as a number, or -1. */
    private static int digits(byte[] b, int i, int to, int min, int max) {
        int value = 0;
        int n = 0;
        while (i + n < to && n < max && isDigit(b[i + n])) {
            value = value * 10 + (b[i + n] - '0');
            n++;
        }
        return n >= min ? value : -1;
    }

    /** Exactly {@code length} digits at {@code from}, or -1. */
    static int num(byte[] b, int from, int length) {
        if (from + length > b.length) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + length; i++) {
            byte c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
