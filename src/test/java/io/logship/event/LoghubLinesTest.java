package io.logship.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.testing.Events;
import io.logship.testing.LoghubReading;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import io.logship.upload.UploadReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eight loghub files as a person reads them ({@link LoghubReading}) compared with the events logship's
 * reader and encoder make of them (format detected, multiline on, as an upload is read): the figures
 * behind the end-to-end test, printed per file.
 */
class LoghubLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Android.log", "Apache.log", "HDFS.log", "Linux.log", "OpenStack.log", "Spark.log",
            "Thunderbird.log", "Windows.log"})
    void atLeast99PercentOfTheLinesKeepTheirTimeAndLevel(String name) throws Exception {
        Path file = Events.sharedFile("loghub/" + name);
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1);
        Upload upload = new Upload("u", "acme", name, null, false, Files.size(file), "auto", null, null,
                LoghubReading.UPLOADED.get());
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
            LoghubReading.Reading reading = LoghubReading.read(name, lines[i]);
            if (event != null) {
                assertFalse(event.has("tags"), () -> "no tag on " + event);
            }
            if (reading == null) {
                continue;
            }
            read++;
            boolean ok = event != null && event.get("message").asText().startsWith(lines[i])
                    && reading.time().equals(event.get("@timestamp").asText())
                    && (reading.level() == null ? !event.has("level") : LoghubReading.level(reading.level()).equals(event.path("level").asText()));
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
