package io.logship.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What arrived at a {@link LogstashListener}, per upload, and the real log files under {@code ../shared/data}. */
public final class Events {

    /** The real data set shared by the project (see shared/data/README.md); tests that use it skip when absent. */
    public static final Path SHARED_DATA = Path.of("../shared/data");

    private Events() {
    }

    /** The events of one upload, once {@code count} of them have arrived, ordered by line. */
    public static List<JsonNode> ofUpload(LogstashListener listener, String uploadId, int count) throws InterruptedException {
        LogshipApp.await(Duration.ofSeconds(60), () -> matching(listener, uploadId).size() >= count);
        List<JsonNode> events = matching(listener, uploadId);
        events.sort(Comparator.comparingLong(Events::line));
        return events;
    }

    public static List<JsonNode> matching(LogstashListener listener, String uploadId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : listener.events()) {
            if (uploadId.equals(event.path("upload_id").asText(null))) {
                found.add(event);
            }
        }
        return found;
    }

    /** The upload line an event came from, read from its {@code event_id} ({@code upload_id-line}). */
    public static long line(JsonNode event) {
        String id = event.get("event_id").asText();
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    public static Map<String, JsonNode> byEventId(List<JsonNode> events) {
        Map<String, JsonNode> byId = events.stream()
                .collect(Collectors.toMap(e -> e.get("event_id").asText(), Function.identity(), (a, b) -> {
                    throw new AssertionError("event_id " + a.get("event_id") + " arrived twice");
                }));
        assertEquals(events.size(), byId.size());
        return byId;
    }

    /** A file of the shared data set; the test is skipped (not failed) where the data set is not laid out. */
    public static Path sharedFile(String relative) {
        Path file = SHARED_DATA.resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "real log data not found at " + file.toAbsolutePath() + " (shared/data is laid beside the repository); skipped");
        return file;
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
