package io.logship.upload;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Stream;

import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** UPLOAD_QUEUE_SIZE: a full queue refuses a new upload with 503 before storing it, never an upload it kept. */
class UploadQueueTest {

    @Test
    void aFullQueueRefusesBeforeStoring() throws Exception {
        int closedPort;
        try (ServerSocket reserved = new ServerSocket(0)) {
            closedPort = reserved.getLocalPort();
        }
        // Logstash down and slow redeliveries keep the only worker on the first upload
        try (LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(closedPort), "upload.workers", "1",
                "upload.queue.size", "1", "logstash.retry.delay", "1.5", "logstash.max.retries", "3", "http.retry.after", "11")) {
            String token = app.token("acme");
            String first = LogshipApp.json(app.upload(token, "text/plain", utf8("first\n"), null)).get("upload_id").asText();
            LogshipApp.await(Duration.ofSeconds(20), () -> status(app, token, first).equals("processing"));
            assertEquals(202, app.upload(token, "text/plain", utf8("second, queued\n"), null).statusCode());

            HttpResponse<String> third = app.upload(token, "text/plain", utf8("third\n"), null);
            assertEquals(503, third.statusCode(), third.body());
            assertEquals("queue_full", LogshipApp.json(third).get("error").asText());
            assertEquals("11", third.headers().firstValue("Retry-After").orElse(null));
            try (Stream<java.nio.file.Path> uploads = Files.list(app.dataDir().resolve("uploads"))) {
                assertEquals(2, uploads.count(), "the refused upload was not stored");
            }
        }
    }

    private static String status(LogshipApp app, String token, String id) {
        try {
            return LogshipApp.json(app.get("/api/v1/logs/uploads/" + id, token)).get("status").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
