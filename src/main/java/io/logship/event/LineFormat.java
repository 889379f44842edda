package io.logship.event;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the plain-text lines of one upload are laid out: which token holds the timestamp and in which
 * {@link TimestampFormat}, where the level is, and whether syslog's host and process follow. Found once
 * per upload by {@link #detect sampling its first lines} (or named by the upload's {@code format}), then
 * applied to every line with a few byte comparisons: no cascade of attempts per line.
 */
public final class LineFormat {

    /** No timestamp or level is looked for: each line is just a message. */
    public static final LineFormat NONE = new LineFormat("none", null, -1, 0, -1, false, Extras.NONE);
    /** JSON lines: each line is read as JSON, and lines are never joined. */
    public static final LineFormat JSON_LINES = new LineFormat("ndjson", null, -1, 0, -1, false, Extras.NONE);

    private static final int SAMPLE_LINES = 100;
    private static final int MAX_TIME_TOKEN = 3;
    private static final int MAX_LEVEL_TOKEN = 3;

    /** The formats an upload can name in {@code format}; each is a fixed layout, so nothing is detected. */
    public static final Map<String, LineFormat> NAMED = named();

    enum Extras { NONE, RFC3164, RFC5424 }

    private final String name;
    private final TimestampFormat time;
    /** how many whitespace-separated tokens come before the timestamp */
    private final int timeToken;
    /** where the level may be: tokens [levelFrom, levelTo] after the timestamp (or from the line's start) */
    private final int levelFrom;
    private final int levelTo;
    /** one-letter levels ({@code D}, {@code W}) count, because this file puts its levels there */
    private final boolean letters;
    private final Extras extras;
    /** most lines are JSON: lines are never joined, and the other lines are read with this layout */
    private final boolean jsonLines;

    private LineFormat(String name, TimestampFormat time, int timeToken, int levelFrom, int levelTo, boolean letters,
                       Extras extras) {
        this(name, time, timeToken, levelFrom, levelTo, letters, extras, false);
    }

    private LineFormat(String name, TimestampFormat time, int timeToken, int levelFrom, int levelTo, boolean letters,
                       Extras extras, boolean jsonLines) {
        this.jsonLines = jsonLines;
        this.name = name;
        this.time = time;
        this.timeToken = timeToken;
        this.levelFrom = levelFrom;
        this.levelTo = levelTo;
        this.letters = letters;
        this.extras = extras;
    }

    public String name() {
        return name;
    }

    /** The file's events start with a timestamp: a line without one continues the event before it. */
    public boolean timestamped() {
        return time != null;
    }

    public boolean json() {
        return this == JSON_LINES || jsonLines;
    }

    @Override
    public String toString() {
        return name + "(time=" + time + "@" + timeToken + ", level=" + levelFrom + ".." + levelTo + ", extras=" + extras + ")";
    }

    private static Map<String, LineFormat> named() {
        Map<String, LineFormat> formats = new LinkedHashMap<>();
        formats.put("syslog", new LineFormat("syslog", TimestampFormat.SYSLOG, 0, 0, -1, false, Extras.RFC3164));
        formats.put("rfc5424", new LineFormat("rfc5424", TimestampFormat.ISO, 1, 0, -1, false, Extras.RFC5424));
        formats.put("apache_error", new LineFormat("apache_error", TimestampFormat.CTIME, 0, 0, 0, false, Extras.NONE));
        formats.put("nginx_error", new LineFormat("nginx_error", TimestampFormat.ISO, 0, 0, 0, false, Extras.NONE));
        formats.put("access_log", new LineFormat("access_log", TimestampFormat.ACCESS, 3, 0, -1, false, Extras.NONE));
        formats.put("log4j", new LineFormat("log4j", TimestampFormat.ISO, 0, 0, 3, false, Extras.NONE));
        formats.put("iso8601", new LineFormat("iso8601", TimestampFormat.ISO, 0, 0, 3, false, Extras.NONE));
        formats.put("epoch", new LineFormat("epoch", TimestampFormat.EPOCH, 0, 0, 3, false, Extras.NONE));
        formats.put("logcat", new LineFormat("logcat", TimestampFormat.LOGCAT, 0, 2, 2, true, Extras.NONE));
        formats.put("hdfs", new LineFormat("hdfs", TimestampFormat.COMPACT, 0, 0, 1, false, Extras.NONE));
        formats.put("spark", new LineFormat("spark", TimestampFormat.SHORT_YEAR, 0, 0, 0, false, Extras.NONE));
        formats.put("windows_cbs", new LineFormat("windows_cbs", TimestampFormat.ISO, 0, 0, 0, false, Extras.NONE));
        formats.put("plain", NONE);
        return Map.copyOf(formats);
    }

    /** A named format, or null. */
    public static LineFormat named(String name) {
        return name == null ? null : NAMED.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The layout that fits most of the sample: the timestamp (format and token) that the first line has and
     * most lines share, then the token after it where most lines name a level. Lines are [starts[i], ends[i]).
     */
    public static LineFormat detect(byte[] b, int[] allStarts, int[] allEnds, int count) {
        int sampled = Math.min(count, SAMPLE_LINES);
        if (sampled == 0) {
            return NONE;
        }
        // JSON lines say what they are; the layout is that of the other lines
        int[] starts = new int[sampled];
        int[] ends = new int[sampled];
        int n = 0;
        for (int i = 0; i < sampled; i++) {
            int p = skipSpaces(b, allStarts[i], allEnds[i]);
            if (p >= allEnds[i] || b[p] != '{') {
                starts[n] = allStarts[i];
                ends[n] = allEnds[i];
                n++;
            }
        }
        boolean json = (sampled - n) * 2 >= sampled;
        if (n == 0) {
            return JSON_LINES;
        }
        LineFormat text = detectText(b, starts, ends, n);
        return json ? new LineFormat("ndjson+" + text.name, text.time, text.timeToken, text.levelFrom, text.levelTo,
                text.letters, text.extras, true) : text;
    }

    private static LineFormat detectText(byte[] b, int[] starts, int[] ends, int n) {
        TimeContext ctx = TimeContext.utcNow();
        TimestampFormat bestTime = null;
        int bestToken = -1;
        int bestCount = 0;
        boolean bestFirst = false;
        for (TimestampFormat format : TimestampFormat.values()) {
            for (int k = 0; k <= MAX_TIME_TOKEN; k++) {
                int matched = 0;
                boolean first = false;
                for (int i = 0; i < n; i++) {
                    if (timeEnd(b, skipPriority(b, starts[i], ends[i]), ends[i], format, k, ctx) >= 0) {
                        matched++;
                        first |= i == 0;
                    }
                }
                // the first line decides between layouts that fit equally well; one that does not fit it must fit most lines
                if (matched > 0 && (first || matched * 2 > n)
                        && (matched > bestCount || (matched == bestCount && first && !bestFirst))) {
                    bestTime = format;
                    bestToken = k;
                    bestCount = matched;
                    bestFirst = first;
                }
            }
        }
        // a single stray match in a text file is not a layout
        if (bestTime != null && bestCount * 10 < n) {
            bestTime = null;
        }
        LineFormat probe = new LineFormat("auto", bestTime, bestToken, 0, -1, true, Extras.NONE);
        int levelToken = -1;
        int levelCount = 0;
        int max = bestTime != null ? MAX_LEVEL_TOKEN : 2;
        for (int j = 0; j <= max; j++) {
            int matched = 0;
            for (int i = 0; i < n; i++) {
                int p = probe.afterTime(b, starts[i], ends[i], ctx);
                if (p >= 0 && probe.levelAt(b, p, ends[i], j, j, true) != null) {
                    matched++;
                }
            }
            if (matched > levelCount) {
                levelToken = j;
                levelCount = matched;
            }
        }
        boolean levels = levelCount * 3 >= (bestTime != null ? bestCount : n) && levelCount > 0;
        Extras extras = bestTime == TimestampFormat.SYSLOG ? Extras.RFC3164 : Extras.NONE;
        int afterPriority = skipPriority(b, starts[0], ends[0]);
        if (bestTime == TimestampFormat.ISO && bestToken == 1 && afterPriority > starts[0] && afterPriority + 1 < ends[0]
                && b[afterPriority] == '1' && b[afterPriority + 1] == ' ') {
            extras = Extras.RFC5424;
        }
        String name = bestTime == null ? (levels ? "text" : "plain") : bestTime.name().toLowerCase(Locale.ROOT);
        if (levels) {
            // one-letter levels (logcat's D, W) only on the evidence of several lines: "I think" is prose
            return new LineFormat(name, bestTime, bestToken, levelToken, levelToken, levelCount >= 3, extras);
        }
        // no column of levels: a level word (never a single letter) as the first token still counts
        return new LineFormat(name, bestTime, bestToken, 0, 0, false, extras);
    }

    /** Whether the line starts an event: it has the file's timestamp where the file has it. */
    public boolean startsEvent(byte[] b, int from, int to, TimeContext ctx) {
        return time == null || afterTime(b, from, to, ctx) >= 0;
    }

    /**
     * Reads the line into {@code out}: the instant (in {@code ctx}), the level and the extra fields.
     * @return whether a timestamp was found
     */
    public boolean parse(byte[] b, int from, int to, TimeContext ctx, ParsedLine out) {
        out.clear();
        if (time == null && levelTo < 0 && extras == Extras.NONE) {
            return false;
        }
        int p = from;
        int priority = -1;
        if (p < to && b[p] == '<') {
            int close = p + 1;
            int value = 0;
            while (close < to && close - p <= 4 && TimestampFormat.isDigit(b[close])) {
                value = value * 10 + (b[close] - '0');
                close++;
            }
            if (close < to && b[close] == '>' && close > p + 1 && value < 192) {
                priority = value;
                p = close + 1;
            }
        }
        int afterTime = p;
        if (time != null) {
            afterTime = timeEnd(b, p, to, time, timeToken, ctx);
            if (afterTime < 0) {
                return false;
            }
            out.time = true;
        }
        if (extras == Extras.RFC3164) {
            syslogFields(b, afterTime, to, out);
        } else if (extras == Extras.RFC5424) {
            rfc5424Fields(b, afterTime, to, out);
        }
        if (priority >= 0) {
            out.level = LevelTable.severity(priority);
        } else if (levelTo >= 0) {
            out.level = levelAt(b, afterTime, to, levelFrom, levelTo, letters, out);
            if (out.level != null) {
                logger(b, out.levelEnd, to, out);
            }
        }
        return out.time;
    }

    /** Where the text after the timestamp starts, or -1 when the line has none. */
    private int afterTime(byte[] b, int from, int to, TimeContext ctx) {
        if (time == null) {
            return from;
        }
        return timeEnd(b, skipPriority(b, from, to), to, time, timeToken, ctx);
    }

    /** After syslog's {@code <PRI>}, if the line starts with one. */
    private static int skipPriority(byte[] b, int from, int to) {
        if (from < to && b[from] == '<') {
            int close = from + 1;
            while (close < to && close - from <= 4 && TimestampFormat.isDigit(b[close])) {
                close++;
            }
            if (close < to && b[close] == '>' && close > from + 1) {
                return close + 1;
            }
        }
        return from;
    }

    /** The timestamp of {@code format} after {@code token} tokens: where it ends (with a closing bracket or comma), or -1. */
    private static int timeEnd(byte[] b, int from, int to, TimestampFormat format, int token, TimeContext ctx) {
        int p = skipSpaces(b, from, to);
        for (int k = 0; k < token; k++) {
            while (p < to && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
            p = skipSpaces(b, p, to);
        }
        if (p >= to) {
            return -1;
        }
        boolean bracket = b[p] == '[';
        int end = format.parse(b, bracket ? p + 1 : p, to, ctx);
        if (end < 0) {
            return -1;
        }
        if (end < to && ((bracket && b[end] == ']') || b[end] == ',')) {
            end++;
        }
        return end;
    }

    /** The first level among tokens [first, last] after {@code p}; remembers where that token ends. */
    private String levelAt(byte[] b, int p, int to, int first, int last, boolean letters) {
        return levelAt(b, p, to, first, last, letters, null);
    }

    private String levelAt(byte[] b, int p, int to, int first, int last, boolean letters, ParsedLine out) {
        for (int j = 0; j <= last; j++) {
            p = skipSpaces(b, p, to);
            if (p >= to) {
                return null;
            }
            int start = p;
            while (p < to && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
            if (j >= first) {
                String level = levelWord(b, start, p, letters);
                if (level != null) {
                    if (out != null) {
                        out.levelEnd = p;
                    }
                    return level;
                }
            }
        }
        return null;
    }

    /** {@code INFO}, {@code [error]}, {@code [core:error]}, {@code ERROR:}, {@code <W>}, {@code INFO:root:msg}. */
    private static String levelWord(byte[] b, int start, int end, boolean letters) {
        boolean bracket = false;
        if (start < end && (b[start] == '[' || b[start] == '<' || b[start] == '(')) {
            start++;
            bracket = true;
        }
        while (end > start && (b[end - 1] == ']' || b[end - 1] == '>' || b[end - 1] == ')' || b[end - 1] == ':'
                || b[end - 1] == ',')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (b[i] == ':') {
                if (bracket) {
                    start = i + 1;      // Apache 2.4: [core:error]
                } else {
                    end = i;            // Python: INFO:root:message
                    break;
                }
            }
        }
        return LevelTable.textLevel(b, start, end, letters);
    }

    /** {@code logger:} right after the level (Hadoop, Spark, logcat's tag). */
    private static void logger(byte[] b, int p, int to, ParsedLine out) {
        p = skipSpaces(b, p, to);
        int start = p;
        while (p < to && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        if (p - start > 1 && b[p - 1] == ':' && b[start] != '[') {
            out.loggerStart = start;
            out.loggerEnd = p - 1;
        }
    }

    /** RFC 3164: {@code host process[pid]:} after the timestamp. */
    private static int syslogFields(byte[] b, int p, int to, ParsedLine out) {
        p = skipSpaces(b, p, to);
        int hostStart = p;
        while (p < to && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        if (p == hostStart || p >= to) {
            return p;
        }
        out.hostStart = hostStart;
        out.hostEnd = p;
        p = skipSpaces(b, p, to);
        int tagStart = p;
        while (p < to && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        int tagEnd = p;
        if (tagEnd - tagStart < 2 || b[tagEnd - 1] != ':') {
            return tagStart;
        }
        tagEnd--;
        if (b[tagEnd - 1] == ']') {
            int open = tagEnd - 2;
            while (open > tagStart && TimestampFormat.isDigit(b[open])) {
                open--;
            }
            if (b[open] == '[' && open < tagEnd - 2 && open > tagStart) {
                out.pidStart = open + 1;
                out.pidEnd = tagEnd - 1;
                tagEnd = open;
            }
        }
        out.processStart = tagStart;
        out.processEnd = tagEnd;
        return p;
    }

    /** RFC 5424: {@code host app procid} after the timestamp ({@code -} is "none"). */
    private static int rfc5424Fields(byte[] b, int p, int to, ParsedLine out) {
        int[] field = new int[6];
        for (int f = 0; f < 3; f++) {
            p = skipSpaces(b, p, to);
            field[f * 2] = p;
            while (p < to && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
            field[f * 2 + 1] = p;
        }
        if (field[1] - field[0] > 0 && !dash(b, field[0], field[1])) {
            out.hostStart = field[0];
            out.hostEnd = field[1];
        }
        if (field[3] - field[2] > 0 && !dash(b, field[2], field[3])) {
            out.processStart = field[2];
            out.processEnd = field[3];
        }
        boolean digits = field[5] > field[4];
        for (int i = field[4]; i < field[5]; i++) {
            digits &= TimestampFormat.isDigit(b[i]);
        }
        if (digits) {
            out.pidStart = field[4];
            out.pidEnd = field[5];
        }
        return p;
    }

    private static boolean dash(byte[] b, int from, int to) {
        return to - from == 1 && b[from] == '-';
    }

    static int skipSpaces(byte[] b, int p, int to) {
        while (p < to && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** What {@link #parse} found in one line; positions index the line's bytes, -1 when absent. */
    public static final class ParsedLine {
        public boolean time;
        public String level;
        int levelEnd;
        public int loggerStart;
        public int loggerEnd;
        public int hostStart;
        public int hostEnd;
        public int processStart;
        public int processEnd;
        public int pidStart;
        public int pidEnd;

        void clear() {
            time = false;
            level = null;
            levelEnd = -1;
            loggerStart = loggerEnd = hostStart = hostEnd = processStart = processEnd = pidStart = pidEnd = -1;
        }
    }
}
