package io.logship.fallback;

import java.io.BufferedReader;
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
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.event.EventBatch;
import io.logship.upload.DiskSync;
import io.logship.upload.LineBreaks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches that no sink could take, on disk under {@code DATA_DIR/spool}, one file each: a header line (upload,
 * tenant, line numbers, the upload's resume line after the batch) and then the very documents that were meant for
 * the wire. Written under a temporary name with fsync, renamed, and the directory fsynced before the batch counts
 * as spooled; replayed oldest first; deleted only once delivered.
 *
 * <p>Bounded by {@code SPOOL_MAX_BYTES}, hard: a batch that would take the spool past it is refused
 * ({@link FullException}) unless the spool is empty (so a batch larger than the bound still gets through, alone).
 * The upload whose batch was refused waits at its checkpoint until the spool has room; new uploads get 503.
 */
public class Spool {

    /** The exchange variable that names the spool file a batch was just written to (fallback.camel.yaml). */
    public static final String FILE = "spoolFile";
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final long maxBytes;
    private final ConcurrentSkipListMap<String, Meta> files = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    /** A batch was refused for want of room, and no file has left since: the spool is full for its size. */
    private volatile boolean refused;

    /** What the spool needs to know of the uploads to tell a counted batch from a void one after a crash. */
    public interface Ledger {
        /** The upload counted this file's events out of the spool already (it was replayed). */
        boolean settled(String uploadId, String file);

        /** The upload's saved checkpoint covers the batch that ends at {@code resumeLine}. */
        boolean checkpointed(String uploadId, long resumeLine);
    }

    /** A spool file's place in the queue: its size, whose it is, and where its upload stood after it. */
    record Meta(long size, String uploadId, long resumeLine, String replaces) {
    }

    public Spool(Path dataDir, long maxBytes) {
        this.dir = dataDir.resolve("spool");
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> existing = Files.list(dir)) {
                for (Path file : (Iterable<Path>) existing::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".ndjson.tmp")) {
                        promoteIfComplete(file);
                    }
                }
            }
            try (Stream<Path> existing = Files.list(dir)) {
                for (Path file : (Iterable<Path>) existing::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".ndjson")) {
                        Meta meta = meta(file);
                        files.put(name, meta);
                        bytes.addAndGet(meta.size());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool " + dir, e);
        }
    }

    /**
     * A {@code .tmp} left by a crash between the fsync of a batch and its rename may be whole: it is kept (moved in
     * place) when its lines match its header, and removed only when it is not. {@link #reconcile} then decides, as
     * for every file, whether its upload counted it.
     */
    private void promoteIfComplete(Path tmp) throws IOException {
        String name = tmp.getFileName().toString();
        Path target = dir.resolve(name.substring(0, name.length() - ".tmp".length()));
        if (isComplete(tmp)) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("Spool file {} was written whole but not yet renamed when logship stopped; it is kept", target.getFileName());
        } else {
            Files.delete(tmp);
            LOG.warn("Spool file {} was cut short when logship stopped; removed (its batch was not counted as spooled)", name);
        }
        DiskSync.directory(dir);
    }

    private static boolean isComplete(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            int headEnd = LineBreaks.next(content, 0, content.length);
            if (headEnd < 0 || content.length == 0 || content[content.length - 1] != '\n') {
                return false;
            }
            List<?> lines = (List<?>) JSON.readValue(content, 0, headEnd, Map.class).get("lines");
            return lines != null && lines.size() == LineBreaks.count(content, headEnd + 1, content.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Meta meta(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<?, ?> header = JSON.readValue(reader.readLine(), Map.class);
            Object resumeLine = header.get("resume_line");
            return new Meta(Files.size(file), (String) header.get("upload_id"),
                    resumeLine instanceof Number n ? n.longValue() : 0, (String) header.get("replaces"));
        }
    }

    /**
     * At start, after a crash: removes the files that the uploads' saved state says are not (or no longer) spooled.
     * A settled file was replayed already; a file written for a batch past its upload's saved checkpoint is written
     * again when the upload resumes from there; a file that replaces one still unsettled was cut from it and is void.
     */
    public void reconcile(Ledger ledger) throws IOException {
        List<String> remove = new ArrayList<>();
        for (Map.Entry<String, Meta> entry : files.entrySet()) {
            String name = entry.getKey();
            Meta meta = entry.getValue();
            if (ledger.settled(meta.uploadId(), name)) {
                remove.add(name);
            } else if (meta.replaces() != null && files.containsKey(meta.replaces())
                    && !ledger.settled(meta.uploadId(), meta.replaces())) {
                remove.add(name);
            } else if (!ledger.checkpointed(meta.uploadId(), meta.resumeLine())) {
                remove.add(name);
            }
        }
        for (String name : remove) {
            LOG.info("Spool file {} is not counted as spooled by its upload (replayed already, or written after its "
                    + "last checkpoint); removed", name);
            delete(name);
        }
        if (!remove.isEmpty()) {
            DiskSync.directory(dir);
        }
    }

    /** Writes the batch as a new spool file and returns its name (the route keeps it in the variable {@link #FILE}). */
    public String write(EventBatch batch) throws IOException {
        String name = String.format("%013d-%09d-%s.ndjson", System.currentTimeMillis(), sequence.incrementAndGet(),
                batch.uploadId());
        store(name, batch, null, true);
        return name;
    }

    /**
     * After a partial replay, what is still undelivered as a file of its own that keeps the place of {@code name} in
     * the queue; {@code name} itself is deleted once its upload has counted what left it.
     */
    public String replace(String name, EventBatch remaining) throws IOException {
        String successor = name.substring(0, name.length() - ".ndjson".length()) + "+.ndjson";
        store(successor, remaining, name, false);
        return successor;
    }

    /** Writes the file under a temporary name and moves it in place: a file in the spool is always whole. */
    private void store(String name, EventBatch batch, String replaces, boolean bounded) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("upload_id", batch.uploadId());
        header.put("tenant_id", batch.tenantId());
        header.put("lines", batch.lines());
        header.put("resume_line", batch.resumeLine());
        if (replaces != null) {
            header.put("replaces", replaces);
        }
        byte[] head = JSON.writeValueAsBytes(header);
        long size = head.length + 1L + batch.size();
        if (bounded) {
            reserve(size);
        } else {
            bytes.addAndGet(size);
        }
        boolean stored = false;
        try {
            Path tmp = dir.resolve(name + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                channel.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(new byte[] {'\n'}),
                        ByteBuffer.wrap(batch.data(), 0, batch.size())});
                channel.force(true);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DiskSync.directory(dir);
            stored = true;
        } finally {
            if (!stored) {
                bytes.addAndGet(-size);
            }
        }
        Meta previous = files.put(name, new Meta(size, batch.uploadId(), batch.resumeLine(), replaces));
        if (previous != null) {
            bytes.addAndGet(-previous.size());
        }
    }

    /** Takes room for a file, or refuses: the spool stays within its bound unless it holds nothing else. */
    private void reserve(long size) throws FullException {
        while (true) {
            long now = bytes.get();
            if (now > 0 && now + size > maxBytes) {
                refused = true;
                throw new FullException("the spool is full (" + now + " of " + maxBytes + " bytes, SPOOL_MAX_BYTES); a batch of "
                        + size + " bytes waits until Logstash or Elasticsearch takes spooled batches");
            }
            if (bytes.compareAndSet(now, now + size)) {
                return;
            }
        }
    }

    /** The oldest spooled batch that {@code ready} accepts, or null. */
    public Spooled oldest(Predicate<Spooled> ready) throws IOException {
        for (Map.Entry<String, Meta> entry : files.entrySet()) {
            Spooled spooled = new Spooled(entry.getKey(), entry.getValue().uploadId(), entry.getValue().resumeLine(), null);
            if (ready.test(spooled)) {
                return read(entry.getKey());
            }
        }
        return null;
    }

    /** The oldest spooled batch, or null when the spool is empty. */
    public Spooled oldest() throws IOException {
        return oldest(any -> true);
    }

    private Spooled read(String name) throws IOException {
        byte[] content = Files.readAllBytes(dir.resolve(name));
        int headEnd = LineBreaks.next(content, 0, content.length);
        if (headEnd < 0) {
            throw new IllegalStateException("spool file without header line: " + name);
        }
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
        long resumeLine = header.get("resume_line") instanceof Number n ? n.longValue() : 0;
        EventBatch batch = new EventBatch((String) header.get("upload_id"), (String) header.get("tenant_id"), data,
                data.length, ends, lines, ends.length, 0, resumeLine);
        return new Spooled(name, batch.uploadId(), resumeLine, batch);
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
        Meta meta = files.remove(name);
        if (meta != null) {
            bytes.addAndGet(-meta.size());
            refused = false;
        }
    }

    public boolean contains(String name) {
        return files.containsKey(name);
    }

    /** At its bound, or it refused a batch and nothing has left since. */
    public boolean isFull() {
        return refused || bytes.get() >= maxBytes;
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
        Map.Entry<String, Meta> first = files.firstEntry();
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

    /** A spooled batch; {@code batch} is null until the file is read. */
    public record Spooled(String name, String uploadId, long resumeLine, EventBatch batch) {
        public String text() {
            return new String(batch.data(), 0, batch.size(), StandardCharsets.UTF_8);
        }
    }

    /** No room in the spool for a batch: its upload waits at its checkpoint until there is. */
    public static class FullException extends IOException {
        public FullException(String message) {
            super(message);
        }
    }
}
