package io.logship.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durable uploads across a restart: resumed where they were left, and never processed twice. */
class UploadRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void anUploadLeftUnfinishedIsResumedAtStartFromItsCheckpoint() throws Exception {
        // a previous run accepted 250 lines, delivered the first batch of 100, and stopped
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 250; i++) {
            content.append("{\"message\":\"line ").append(i).append("\"}\n");
        }
        UploadStore previous = new UploadStore(dataDir, 100, 1 << 20);
        String id = previous.newId();
        Files.createDirectories(previous.content(id).getParent());
        Files.writeString(previous.content(id), content, StandardCharsets.UTF_8);
        Upload upload = new Upload(id, "acme", "crashed.log", "prod", false, content.length());
        previous.accept(upload);
        try (UploadReader reader = previous.reader(upload)) {
            LineBatch first = reader.next();
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
            previous.read(first, exchange);
            EventBatch batch = new EventEncoder().encode(first);
            exchange.getMessage().setBody(batch);
            previous.delivered(exchange, "logstash");
            previous.checkpoint(batch, exchange);
        }
        previous.save(previous.status(id));

        try (LogstashListener logstash = LogstashListener.tcp();
             LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "data.dir", dataDir.toString())) {
            List<JsonNode> events = Events.ofUpload(logstash, id, 150);
            assertEquals(150, events.size());
            Events.byEventId(events);
            assertEquals(101, Events.line(events.get(0)), "the delivered batch is not sent again");
            assertEquals(250, Events.line(events.get(149)));
            assertEquals("line 101", events.get(0).get("message").asText());
            assertEquals("crashed.log", events.get(0).get("source").asText());
            assertEquals("prod", events.get(0).get("environment").asText());

            String token = app.token("acme");
            LogshipApp.await(Duration.ofSeconds(10), () -> "completed".equals(status(app, id, token).get("status").asText()));
            JsonNode status = status(app, id, token);
            assertEquals(250, status.get("received").asInt());
            assertEquals(250, status.get("sent_logstash").asInt());
        }
    }

    @Test
    void anUploadInProgressWhenTheResumeTimerFiresIsProcessedOnce() throws Exception {
        // Logstash down, 1 + 2 s of redelivery: the upload is still in progress when resume-uploads runs. That timer
        // fires once, a second after start, while the API is already open; it is started again here to fire on cue.
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "logstash.max.retries", "2", "logstash.retry.delay", "1")) {
            ManagedCamelContext managed = app.context().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
            var timer = managed.getManagedRoute("resume-uploads");
            LogshipApp.await(Duration.ofSeconds(10), () -> timer.getExchangesCompleted() >= 1);

            String token = app.token("acme");
            var accepted = app.upload(token, "text/plain", utf8("once 1\nonce 2\nonce 3\n"), null);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = LogshipApp.json(accepted).get("upload_id").asText();
            LogshipApp.await(Duration.ofSeconds(10), () -> "processing".equals(status(app, id, token).get("status").asText()));

            timer.reset();
            app.context().getRouteController().stopRoute("resume-uploads");
            app.context().getRouteController().startRoute("resume-uploads");
            LogshipApp.await(Duration.ofSeconds(10), () -> timer.getExchangesCompleted() >= 1);

            var worker = managed.getManagedRoute("upload-worker");
            LogshipApp.await(Duration.ofSeconds(20), () -> "completed".equals(status(app, id, token).get("status").asText())
                    && worker.getExchangesInflight() == 0);
            JsonNode status = status(app, id, token);
            assertEquals(3, status.get("received").asInt(), status.toString());
            assertEquals(3, status.get("spooled").asInt(), status.toString());
            assertEquals(1, worker.getExchangesTotal(), "one upload, processed once");
            try (Stream<Path> spool = Files.list(app.dataDir().resolve("spool"))) {
                assertEquals(1, spool.filter(f -> f.toString().endsWith(id + ".ndjson")).count(), "the batch was spooled once");
            }
        }
    }

    @Test
    void aSpooledBatchOfAnEarlierRunReplayedAtStartLeavesSpooled() throws Exception {
        // an earlier run spooled the whole upload (both sinks down) and completed it
        UploadStore previous = new UploadStore(dataDir, 100, 1 << 20);
        io.logship.fallback.Spool spool = new io.logship.fallback.Spool(dataDir, 1 << 20);
        previous.spool(spool);
        String id = previous.newId();
        Files.createDirectories(previous.content(id).getParent());
        Files.writeString(previous.content(id), "{\"message\":\"a\"}\n{\"message\":\"b\"}\n", StandardCharsets.UTF_8);
        Upload upload = new Upload(id, "acme", "spooled.log", null, false, 30);
        previous.accept(upload);
        try (UploadReader reader = previous.reader(upload)) {
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
            LineBatch lines = reader.next();
            previous.read(lines, exchange);
            var batch = new EventEncoder().encode(lines);
            exchange.getMessage().setBody(batch);
            exchange.setVariable(io.logship.fallback.Spool.FILE, spool.write(batch));
            previous.spooled(exchange);
            previous.checkpoint(batch, exchange);
        }
        previous.completed(upload);

        // the replay runs at once, before anything else touches the upload: it still counts the events out of spooled
        try (LogstashListener logstash = LogstashListener.tcp();
             LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "data.dir", dataDir.toString(),
                     "spool.replay.interval", "0.2")) {
            assertEquals(2, Events.ofUpload(logstash, id, 2).size());
            String token = app.token("acme");
            LogshipApp.await(Duration.ofSeconds(20), () -> status(app, id, token).get("spooled").asInt() == 0);
            JsonNode status = status(app, id, token);
            io.logship.testing.UploadCounts.assertBalanced(status);
            assertEquals(2, status.get("sent_logstash").asInt(), status.toString());
            assertEquals("completed", status.get("status").asText());
            try (Stream<Path> files = Files.list(dataDir.resolve("spool"))) {
                assertEquals(0, files.count(), "the replayed file left the spool");
            }
        }
    }

    private static JsonNode status(LogshipApp app, String id, String token) {
        try {
            return LogshipApp.json(app.get("/api/v1/logs/uploads/" + id, token));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
