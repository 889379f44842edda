package io.logship.fallback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.event.EventBatch;
import org.apache.camel.Variable;

/**
 * Batches that no sink could take, on disk under {@code DATA_DIR/spool}, one file each: a header line
 * (upload, tenant, line numbers) and then the very documents that were meant for the wire. Written with
 * fsync before the batch counts as spooled; replayed oldest first; deleted only once delivered.
 * Bounded by {@code SPOOL_MAX_BYTES}: when full, new uploads are refused, but a batch of an upload already
 * accepted is always written.
 */
public class Spool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final long maxBytes;
    private final ConcurrentSkipListMap<String, Long> files = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    public Spool(Path dataDir, long maxBytes) {
        this.dir = dataDir.resolve("spool");
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> existing = Files.list(dir)) {
                for (Path file : (Iterable<Path>) existing::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.delete(file);
                    } else if (name.endsWith(".ndjson")) {
                        long size = Files.size(file);
                        files.put(name, size);
                        bytes.addAndGet(size);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool " + dir, e);
        }
    }

    public void write(EventBatch batch) throws IOException {
        String name = String.format("%013d-%09d-%s.ndjson", System.currentTimeMillis(), sequence.incrementAndGet(),
                batch.uploadId());
        store(name, batch);
    }

    /** Writes the file under a temporary name and moves it in place: a file in the spool is always whole. */
    private void store(String name, EventBatch batch) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("upload_id", batch.uploadId());
        header.put("tenant_id", batch.tenantId());
        header.put("lines", batch.lines());
        byte[] head = JSON.writeValueAsBytes(header);
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(new byte[] {'\n'}),
                    ByteBuffer.wrap(batch.data(), 0, batch.size())});
            channel.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long size = head.length + 1L + batch.size();
        Long previous = files.put(name, size);
        bytes.addAndGet(size - (previous == null ? 0 : previous));
    }

    /** The oldest spooled batch, or null when the spool is empty. */
    public Spooled oldest() throws IOException {
        Map.Entry<String, Long> first = files.firstEntry();
        if (first == null) {
            return null;
        }
        byte[] content = Files.readAllBytes(dir.resolve(first.getKey()));
        int headEnd = indexOf(content, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = JSON.readValue(content, 0, headEnd, Map.class);
        byte[] data = java.util.Arrays.copyOfRange(content, headEnd + 1, content.length);
        List<Integer> endList = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                endList.add(i + 1);
            }
        }
        int[] ends = endList.stream().mapToInt(Integer::intValue).toArray();
        long[] lines = ((List<?>) header.get("lines")).stream().mapToLong(n -> ((Number) n).longValue()).toArray();
        EventBatch batch = new EventBatch((String) header.get("upload_id"), (String) header.get("tenant_id"), data,
                data.length, ends, lines, ends.length, 0, 0);
        return new Spooled(first.getKey(), batch);
    }

    /** After a partial replay the file keeps only what is still undelivered, and its place in the queue. */
    public void retain(@Variable("spoolFile") String name, EventBatch remaining) throws IOException {
        store(name, remaining);
    }

    public void delete(@Variable("spoolFile") String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
        Long size = files.remove(name);
        if (size != null) {
            bytes.addAndGet(-size);
        }
    }

    public boolean isFull() {
        return bytes.get() >= maxBytes;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    public int batches() {
        return files.size();
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Age of the oldest spooled batch in seconds, 0 when empty. */
    public long oldestAgeSeconds() {
        Map.Entry<String, Long> first = files.firstEntry();
        if (first == null) {
            return 0;
        }
        long writtenAt = Long.parseLong(first.getKey().substring(0, 13));
        return Math.max(0, Duration.between(Instant.ofEpochMilli(writtenAt), Instant.now()).toSeconds());
    }

    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("batches", batches());
        view.put("bytes", bytes());
        view.put("max_bytes", maxBytes);
        view.put("full", isFull());
        view.put("oldest_age_seconds", oldestAgeSeconds());
        return view;
    }

    private static int indexOf(byte[] content, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("spool file without header line");
    }

    public record Spooled(String name, EventBatch batch) {
        public String text() {
            return new String(batch.data(), 0, batch.size(), StandardCharsets.UTF_8);
        }
    }
}
