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
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.event.EventBatch;

/**
 * Events that a sink refused for good (an Elasticsearch mapping error, say): retrying cannot help, so
 * they are kept under {@code DATA_DIR/dead-letter/YYYY-MM-DD.ndjson} with the reason, for an operator
 * to fix and replay, and counted as rejected.
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

    public Path dir() {
        return dir;
    }
}
