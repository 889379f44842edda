package io.logship.testing;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The eight loghub files read as a person reads them: each line's time and level worked out with java.time
 * and a regular expression written for each file (not logship's scanners). Yearless times take the year
 * that puts them at most a day after the upload; zone-less ones are UTC.
 */
public final class LoghubReading {

    /** The upload's time, for yearless lines; set it to just before the upload. */
    public static final AtomicLong UPLOADED = new AtomicLong(System.currentTimeMillis());

    private LoghubReading() {
    }

    /** The person's reading of a line of the named file, or null when the line has no time there. */
    public static Reading read(String file, String line) {
        return READERS.get(file).apply(line);
    }

    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What a person reads in a line: the instant (wire form) and the level as written, or null. */
    public record Reading(String time, String level) {
    }

    private static final Map<String, Function<String, Reading>> READERS = Map.of(
            "Android.log", rule("^(\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\s+\\d+\\s+\\d+ ([VDIWEFA]) ", m ->
                    yearless(m.group(1), "MM-dd HH:mm:ss.SSS"), 2),
            "Apache.log", rule("^\\[(\\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4})\\] \\[(\\w+)\\]", m ->
                    local(m.group(1), "EEE MMM dd HH:mm:ss yyyy"), 2),
            "HDFS.log", rule("^(\\d{6} \\d{6}) \\d+ (\\w+) ", m -> local("20" + m.group(1), "yyyyMMdd HHmmss"), 2),
            "Linux.log", rule("^(\\w{3}) +(\\d+) (\\d\\d:\\d\\d:\\d\\d) ", m ->
                    yearless(m.group(1) + " " + (m.group(2).length() == 1 ? "0" : "") + m.group(2) + " " + m.group(3),
                            "MMM dd HH:mm:ss"), 0),
            "OpenStack.log", rule("^\\S+ (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\d+ (\\w+) ", m ->
                    local(m.group(1), "yyyy-MM-dd HH:mm:ss.SSS"), 2),
            "Spark.log", rule("^(\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d) (\\w+) ", m ->
                    local("20" + m.group(1), "yyyy/MM/dd HH:mm:ss"), 2),
            "Thunderbird.log", rule("^\\S+ (\\d{10}) ", m -> WIRE.format(java.time.Instant.ofEpochSecond(Long.parseLong(m.group(1)))), 0),
            "Windows.log", rule("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d), (\\w+)\\s", m ->
                    local(m.group(1), "yyyy-MM-dd HH:mm:ss"), 2));


    private static Function<String, Reading> rule(String regex, Function<Matcher, String> time, int levelGroup) {
        Pattern pattern = Pattern.compile(regex);
        return line -> {
            Matcher m = pattern.matcher(line);
            if (!m.find()) {
                return null;
            }
            return new Reading(time.apply(m), levelGroup > 0 ? m.group(levelGroup) : null);
        };
    }

    private static String local(String text, String pattern) {
        return WIRE.format(LocalDateTime.parse(text, DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)).toInstant(ZoneOffset.UTC));
    }

    /** The year that puts the time at most a day after the upload. */
    private static String yearless(String text, String pattern) {
        long uploaded = UPLOADED.get();
        int year = LocalDateTime.ofEpochSecond(uploaded / 1000, 0, ZoneOffset.UTC).getYear() + 1;
        for (; ; year--) {
            try {
                LocalDateTime t = LocalDateTime.parse(year + " " + text, DateTimeFormatter.ofPattern("yyyy " + pattern, Locale.ENGLISH));
                if (t.toInstant(ZoneOffset.UTC).toEpochMilli() <= uploaded + 86_400_000L) {
                    return WIRE.format(t.toInstant(ZoneOffset.UTC));
                }
            } catch (java.time.format.DateTimeParseException notThatYear) {
                // 29 February
            }
        }
    }

    /** The level names of DESIGN.md's alias table, written out again; a logcat A (assert) is not in it. */
    public static String level(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "v", "verbose", "trace" -> "TRACE";
            case "d", "debug" -> "DEBUG";
            case "i", "info", "information" -> "INFO";
            case "w", "warn", "warning" -> "WARN";
            case "e", "err", "error", "severe" -> "ERROR";
            case "f", "fatal", "crit", "critical", "emerg", "alert" -> "FATAL";
            default -> raw.toUpperCase(Locale.ROOT);
        };
    }

}
