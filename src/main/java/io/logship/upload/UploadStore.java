package io.logship.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.api.ApiError;
import io.logship.auth.Authenticator;
import io.logship.auth.Tenant;
import io.logship.event.EventBatch;
import io.logship.monitor.LogshipMetrics;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads on disk under {@code DATA_DIR/uploads/{id}/}: the content as received (one event per line) and
 * {@code status.json}, the counts and the resume point. What is here survives a crash; an upload that was
 * not completed is resumed at start.
 */
public class UploadStore {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAVE_INTERVAL_NANOS = 500_000_000L;

    private final Path root;
    private final int batchSize;
    private final int maxEventBytes;
    private final Map<String, UploadStatus> uploads = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSaved = new ConcurrentHashMap<>();
    private final LogshipMetrics metrics;
    private volatile Fleet fleet = Fleet.NONE;

    /** The other instances of a fleet (KAFKA_BOOTSTRAP_SERVERS): where statuses are shared. */
    public interface Fleet {
        Fleet NONE = new Fleet() {
            @Override
            public void publish(UploadStatus status) {
            }

            @Override
            public Map<String, Object> find(String uploadId, String tenantId) {
                return null;
            }
        };

        void publish(UploadStatus status);

        /** The status of an upload of another instance, for this tenant only; null when there is none. */
        Map<String, Object> find(String uploadId, String tenantId);
    }

    public UploadStore(Path dataDir, int batchSize, int maxEventBytes, LogshipMetrics metrics) {
        this.root = dataDir.resolve("uploads");
        this.batchSize = batchSize;
        this.maxEventBytes = maxEventBytes;
        this.metrics = metrics;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public UploadStore(Path dataDir, int batchSize, int maxEventBytes) {
        this(dataDir, batchSize, maxEventBytes, LogshipMetrics.detached());
    }

    public void fleet(Fleet fleet) {
        this.fleet = fleet;
    }

    public String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public Path content(String uploadId) {
        return root.resolve(uploadId).resolve("content");
    }

    /** The upload is on disk: from here on its events are never dropped silently. */
    public UploadStatus accept(Upload upload) {
        UploadStatus status = new UploadStatus(upload);
        uploads.put(upload.id(), status);
        save(status);
        metrics.uploaded(upload.bytes());
        return status;
    }

    public UploadStatus status(String uploadId) {
        UploadStatus status = uploads.get(uploadId);
        if (status == null) {
            throw new IllegalStateException("unknown upload " + uploadId);
        }
        return status;
    }

    /** Status for its owner only: another tenant cannot even learn that the id exists. */
    public Map<String, Object> view(@Header("uploadId") String uploadId,
                                    @ExchangeProperty(Authenticator.TENANT) Tenant tenant) {
        UploadStatus status = uploadId == null ? null : uploads.get(uploadId);
        if (status == null && uploadId != null) {
            Map<String, Object> elsewhere = fleet.find(uploadId, tenant.id());
            if (elsewhere != null) {
                return elsewhere;
            }
        }
        if (status == null || !status.tenantId().equals(tenant.id())) {
            throw new ApiError(404, "not_found", "no upload " + uploadId + " for this tenant");
        }
        return status.view();
    }

    /** The split expression: the upload's batches from where it was left off. */
    public UploadReader reader(Upload upload) throws IOException {
        UploadStatus status = status(upload.id());
        status.status("processing");
        return new UploadReader(upload, content(upload.id()), status.resumeOffset(), status.resumeLine(),
                batchSize, maxEventBytes);
    }

    public void read(LineBatch batch) {
        status(batch.upload().id()).read(batch);
        metrics.received(batch.count() + batch.rejected().size());
        if (!batch.rejected().isEmpty()) {
            metrics.rejected(LogshipMetrics.OVERSIZED_LINE, batch.rejected().size());
        }
    }

    /** The whole batch reached Logstash; {@code replay}: it came from the spool. */
    public void sentToLogstash(EventBatch batch, @Variable("replay") Boolean replay) {
        delivered(batch, "logstash", batch.count(), Boolean.TRUE.equals(replay));
    }

    /** Kafka acknowledged every record of the batch; {@code replay}: it came from the spool. */
    public void sentToKafka(EventBatch batch, @Variable("replay") Boolean replay) {
        delivered(batch, "kafka", batch.count(), Boolean.TRUE.equals(replay));
    }

    public void delivered(EventBatch batch, String sink, int events, boolean fromSpool) {
        UploadStatus status = uploads.get(batch.uploadId());
        if (status == null) {
            return;     // the monitor's test message
        }
        if (fromSpool) {
            status.unspooled(events);
        }
        status.delivered(sink, events);
        if (fromSpool) {
            saveQuietly(status);
        }
    }

    public void spooled(EventBatch batch) {
        status(batch.uploadId()).spooled(batch.count());
    }

    public void rejected(EventBatch batch, int index, String reason, boolean fromSpool) {
        UploadStatus status = status(batch.uploadId());
        if (fromSpool) {
            status.unspooled(1);
        }
        status.reject(batch.line(index), reason);
        if (fromSpool) {
            saveQuietly(status);
        }
    }

    /** Every event of the batch is accounted for: move the resume point past it. */
    public void checkpoint(EventBatch batch) {
        UploadStatus status = status(batch.uploadId());
        status.resumeAt(batch.resumeOffset(), batch.resumeLine());
        long now = System.nanoTime();
        Long last = lastSaved.get(batch.uploadId());
        if (last == null || now - last > SAVE_INTERVAL_NANOS) {
            save(status);
        }
    }

    public void completed(Upload upload) {
        UploadStatus status = status(upload.id());
        status.status("completed");
        save(status);
        try {
            Files.deleteIfExists(content(upload.id()));
        } catch (IOException e) {
            LOG.warn("Could not delete the content of completed upload {}: {}", upload.id(), e.getMessage());
        }
    }

    public void failed(Upload upload, @ExchangeProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT) Exception cause) {
        UploadStatus status = status(upload.id());
        status.status("failed");
        save(status);
        LOG.error("Upload {} failed; its content stays in {} and it is tried again from its last checkpoint",
                upload.id(), content(upload.id()), cause);
    }

    /**
     * Uploads whose processing failed while this process runs (a route reloaded under it, a full disk):
     * tried again from their last checkpoint, so a passing fault does not wait for a restart.
     */
    public List<Upload> retryFailed() {
        List<Upload> retry = new ArrayList<>();
        for (UploadStatus status : uploads.values()) {
            if (Files.exists(content(status.upload().id())) && status.retryIfFailed()) {
                retry.add(status.upload());
            }
        }
        return retry;
    }

    public Map<String, Object> result(Upload upload) {
        return status(upload.id()).view();
    }

    /**
     * Uploads accepted but not completed before the last stop, oldest first. An upload this run accepted itself
     * is already being processed: it is left alone (the timer that calls this fires after the API is open).
     */
    public List<Upload> recover() throws IOException {
        List<UploadStatus> unfinished = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path file = dir.resolve("status.json");
                // accepted since this start (the API is up before this runs): a worker has it already, and
                // resuming it too would process it twice
                if (!Files.exists(file) || uploads.containsKey(dir.getFileName().toString())) {
                    continue;
                }
                UploadStatus status = JSON.readValue(file.toFile(), UploadStatus.class);
                if (uploads.putIfAbsent(status.upload().id(), status) != null) {
                    continue;
                }
                if (!"completed".equals(status.status()) && Files.exists(content(status.upload().id()))) {
                    unfinished.add(status);
                }
            }
        }
        unfinished.sort((a, b) -> Long.compare(modified(a), modified(b)));
        return unfinished.stream().map(UploadStatus::upload).toList();
    }

    private long modified(UploadStatus status) {
        try {
            return Files.getLastModifiedTime(content(status.upload().id())).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Persists counts and resume point together; one writer at a time per upload. */
    void save(UploadStatus status) {
        String id = status.upload().id();
        Path dir = root.resolve(id);
        Path tmp = dir.resolve("status.json.tmp");
        synchronized (status) {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(status)));
                channel.force(false);
                try {
                    Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.REPLACE_EXISTING);
                }
                lastSaved.put(id, System.nanoTime());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the status of upload " + id, e);
            }
        }
        fleet.publish(status);
    }

    /** After delivery the counts in memory are right; a failed write is retried by the next save. */
    private void saveQuietly(UploadStatus status) {
        try {
            save(status);
        } catch (UncheckedIOException e) {
            LOG.error(e.getMessage(), e.getCause());
        }
    }

    public Path uploadDir(String uploadId) {
        return root.resolve(uploadId);
    }

}
