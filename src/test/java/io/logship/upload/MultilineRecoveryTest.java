package io.logship.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.event.EventEncoder;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A stop in the middle of multiline events: the checkpoint is always an event's first line, so the
 * restarted logship sends each remaining event once, whole, under the id it had.
 */
class MultilineRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void aStopBetweenCheckpointsResumesAtAnEventsFirstLineWithNothingLostOrRepeated() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            content.append("2024-05-01 12:00:0").append(i).append(",000 ERROR [main] App - failure ").append(i).append('\n')
                    .append("java.lang.IllegalStateException: failure ").append(i).append('\n')
                    .append("\tat com.example.App.run(App.java:").append(i).append(")\n");
        }
        // the previous run shipped and checkpointed the first batch, read the second (in the middle of the
        // file's multiline events) and was killed before it was delivered
        UploadStore previous = new UploadStore(dataDir, 2, 1 << 20).joiningLines("auto", 500);
        String id = previous.newId();
        Files.createDirectories(previous.content(id).getParent());
        Files.writeString(previous.content(id), content, StandardCharsets.UTF_8);
        Upload upload = new Upload(id, "acme", "app.log", null, false, content.length());
        previous.accept(upload);
        try (UploadReader reader = previous.reader(upload)) {
            LineBatch first = reader.next();
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
            previous.read(first, exchange);
            var batch = new EventEncoder().encode(first);
            exchange.getMessage().setBody(batch);
            assertEquals(List.of(1L, 4L), List.of(batch.line(0), batch.line(1)));
            previous.delivered(exchange, "logstash");
            previous.checkpoint(batch, exchange);
            LineBatch lost = reader.next();
            assertEquals(7, lost.lines()[0]);
        }
        previous.save(previous.status(id));

        try (LogstashListener logstash = LogstashListener.tcp();
             LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "data.dir", dataDir.toString(),
                     "logstash.batch.size", "2")) {
            List<JsonNode> events = Events.ofUpload(logstash, id, 4);
            String token = app.token("acme");
            LogshipApp.await(java.time.Duration.ofSeconds(20), () -> {
                try {
                    return "completed".equals(LogshipApp.json(app.get("/api/v1/logs/uploads/" + id, token)).path("status").asText());
                } catch (Exception e) {
                    return false;
                }
            });
            events = Events.matching(logstash, id);
            Events.byEventId(events);
            events.sort(java.util.Comparator.comparingLong(Events::line));
            assertEquals(List.of(7L, 10L, 13L, 16L), events.stream().map(Events::line).toList());
            for (int e = 0; e < 4; e++) {
                int i = e + 3;
                assertEquals("2024-05-01 12:00:0" + i + ",000 ERROR [main] App - failure " + i
                        + "\njava.lang.IllegalStateException: failure " + i + "\n\tat com.example.App.run(App.java:" + i + ")",
                        events.get(e).get("message").asText());
                assertEquals("2024-05-01T12:00:0" + i + ".000Z", events.get(e).get("@timestamp").asText());
            }
        }
    }
}
