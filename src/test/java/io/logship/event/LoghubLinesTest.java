package io.logship.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.testing.Events;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import io.logship.upload.UploadReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eight loghub files read as a person reads them: each line's time and level worked out here with
 * java.time and regular expressions written for each file (not logship's scanners), then compared with
 * the events logship makes of the file (format detected, multiline on, as an upload is read).
 */
class LoghubLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What a person reads in a line: the instant (wire form) and the level as written, or null. */
    record Reading(String time, String level) {
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

    private static final long UPLOADED = System.currentTimeMillis();

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
        int year = LocalDateTime.ofEpochSecond(UPLOADED / 1000, 0, ZoneOffset.UTC).getYear() + 1;
        for (; ; year--) {
            try {
                LocalDateTime t = LocalDateTime.parse(year + " " + text, DateTimeFormatter.ofPattern("yyyy " + pattern, Locale.ENGLISH));
                if (t.toInstant(ZoneOffset.UTC).toEpochMilli() <= UPLOADED + 86_400_000L) {
                    return WIRE.format(t.toInstant(ZoneOffset.UTC));
                }
            } catch (java.time.format.DateTimeParseException notThatYear) {
                // 29 February
            }
        }
    }

    /** The level names of DESIGN.md's alias table, written out again; a logcat A (assert) is not in it. */
    private static String level(String raw) {
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Android.log", "Apache.log", "HDFS.log", "Linux.log", "OpenStack.log", "Spark.log",
            "Thunderbird.log", "Windows.log"})
    void atLeast99PercentOfTheLinesKeepTheirTimeAndLevel(String name) throws Exception {
        Path file = Events.sharedFile("loghub/" + name);
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1);
        Upload upload = new Upload("u", "acme", name, null, false, Files.size(file), "auto", null, null, UPLOADED);
        EventEncoder encoder = new EventEncoder();
        Map<Long, JsonNode> events = new java.util.HashMap<>();
        LineFormat format = UploadReader.lineFormat(upload, file);
        try (UploadReader reader = new UploadReader(upload, file, 0, 0, 500, 1 << 20, format, true, 500)) {
            while (reader.hasNext()) {
                LineBatch batch = reader.next();
                EventBatch encoded = encoder.encode(batch);
                for (int i = 0; i < encoded.count(); i++) {
                    events.put(encoded.line(i), JSON.readTree(encoded.document(i)));
                }
            }
        }
        int read = 0;
        int right = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode event = events.get((long) i + 1);
            Reading reading = READERS.get(name).apply(lines[i]);
            if (event != null) {
                assertFalse(event.has("tags"), () -> "no tag on " + event);
            }
            if (reading == null) {
                continue;
            }
            read++;
            boolean ok = event != null && event.get("message").asText().startsWith(lines[i])
                    && reading.time().equals(event.get("@timestamp").asText())
                    && (reading.level() == null ? !event.has("level") : level(reading.level()).equals(event.path("level").asText()));
            if (ok) {
                right++;
            } else if (wrong.size() < 5) {
                wrong.add(lines[i] + "\n    -> " + event + "\n    expected " + reading);
            }
        }
        double accuracy = 100.0 * right / read;
        System.out.printf("%s: %s; %d of %d lines with a time%s read right (%.2f %%)%n", name, format, right, read,
                name.equals("Linux.log") || name.equals("Thunderbird.log") ? "" : " and a level", accuracy);
        assertTrue(read >= 1900, name + ": the person's reading covers the file: " + read);
        assertTrue(accuracy >= 99.0, name + ": " + accuracy + " %, e.g.\n" + String.join("\n", wrong));
    }
}
