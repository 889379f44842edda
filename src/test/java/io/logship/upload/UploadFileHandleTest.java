package io.logship.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An upload's stored file is closed as soon as the upload is processed (Camel's splitter closes a Closeable
 * iterator), not when the garbage collector gets to it: a completed upload's deleted content frees its disk space.
 */
class UploadFileHandleTest extends WithTcpLogstash {

    @Test
    void noFileOfAProcessedUploadStaysOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc (Linux) to list this process's open files");
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 250; i++) {
            body.append("{\"n\":").append(i).append("}\n");
        }
        String token = app.token("acme");
        JsonNode waited = app.uploadAndWait(token, "application/x-ndjson", utf8(body.toString()), null);
        assertEquals("completed", waited.get("status").asText());
        var accepted = app.upload(token, "application/x-ndjson", utf8(body.toString()), null);
        String background = LogshipApp.json(accepted).get("upload_id").asText();
        LogshipApp.await(Duration.ofSeconds(30), () -> {
            try {
                return "completed".equals(LogshipApp.json(app.get("/api/v1/logs/uploads/" + background, token)).get("status").asText());
            } catch (Exception e) {
                return false;
            }
        });

        assertEquals(List.of(), openFilesUnder(fds, waited.get("upload_id").asText()), "?wait=true upload");
        assertEquals(List.of(), openFilesUnder(fds, background), "upload processed by a worker");
    }

    private static List<String> openFilesUnder(Path fds, String uploadId) throws IOException {
        try (Stream<Path> links = Files.list(fds)) {
            return links.map(link -> {
                try {
                    return Files.readSymbolicLink(link).toString();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(target -> target.contains(uploadId)).toList();
        }
    }
}
