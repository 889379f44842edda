package io.logship.fallback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import org.apache.camel.Variable;

/**
 * Events that a sink refused for good (an Elasticsearch mapping error, say): retrying cannot help, so
 * they are kept under {@code DATA_DIR/dead-letter/YYYY-MM-DD.ndjson} with the reason, for an operator
 * to fix and replay, and counted as rejected. Lines meant as JSON that did not parse are kept here too, as
 * they were in the upload ({@code "reason": "parse_error"}, {@code "original"}), while their events are
 * forwarded tagged {@code parse_error}: they are counted in the upload's {@code parse_errors}, not rejected.
 */
public class DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public DeadLetters(Path dataDir) throws IOException {
        this.dir = Files.createDirectories(dataDir.resolve("dead-letter"));
    }

    public synchronized void write(EventBatch batch, int index, int status, String reason) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("upload_id", batch.uploadId());
        entry.put("tenant_id", batch.tenantId());
        entry.put("line", batch.line(index));
        entry.put("status", status);
        entry.put("reason", reason);
        entry.put("document", JSON.readTree(batch.data(), batch.start(index), batch.documentBytes(index)));
        byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = dir.resolve(LocalDate.now(ZoneOffset.UTC) + ".ndjson");
        boolean created = !Files.exists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(false);
        }
        if (created) {
            // the new day's file is durable only once its name is
            io.logship.upload.DiskSync.directory(dir);
        }
    }

    /** A batch's parse errors (the exchange variable the encoder left), in one write. */
    public void parseErrors(EventBatch batch, @Variable(EventEncoder.PARSE_ERRORS) List<EventEncoder.ParseError> errors)
            throws IOException {
        if (errors == null || errors.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (EventEncoder.ParseError error : errors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("upload_id", batch.uploadId());
            entry.put("tenant_id", batch.tenantId());
            entry.put("line", error.line());
            entry.put("reason", "parse_error");
            entry.put("original", error.original());
            lines.append(JSON.writeValueAsString(entry)).append('\n');
        }
        append(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private synchronized void append(byte[] line) throws IOException {
        Path file = dir.resolve(LocalDate.now(ZoneOffset.UTC) + ".ndjson");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(false);
        }
    }

    public Path dir() {
        return dir;
    }
}
