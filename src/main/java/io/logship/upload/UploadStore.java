package io.logship.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import io.logship.event.EventEncoder;
import io.logship.fallback.Spool;
import io.logship.monitor.LogshipMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads on disk under {@code DATA_DIR/uploads/{id}/}: the content as received (one event per line) and
 * {@code status.json}, the counts and the resume point. What is here survives a crash; an upload that was
 * not completed is resumed at start.
 *
 * <p>The one owner of an upload's counts. A batch's outcome is collected in its {@link BatchAccount} and applied
 * with the resume point at the checkpoint; a spooled batch that is replayed is settled here too. Every checkpoint is
 * written to {@code status.json} (so a killed process repeats at most the batch in flight); it is fsynced at most
 * every {@code UPLOAD_STATUS_SYNC_INTERVAL} (so a power loss repeats at most the batches of that interval too).
 */
public class UploadStore implements Spool.Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final int batchSize;
    private final int maxEventBytes;
    private final long syncIntervalNanos;
    private final Duration retention;
    private final Map<String, UploadStatus> uploads = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSynced = new ConcurrentHashMap<>();
    /**
     * The account of each upload's batch since its last checkpoint (one at a time per upload): in flight, or failed
     * ({@link #failed}) and to be read again, when it skips the frames a sink took in the failed try.
     */
    private final Map<String, BatchAccount> inFlight = new ConcurrentHashMap<>();
    /** Unfinished uploads found at start, handed once to {@link #recover}. */
    private final List<UploadStatus> earlierRun = new ArrayList<>();
    private final LogshipMetrics metrics;
    private volatile Spool spool;
    /** Logstash's http input acknowledges a batch; tcp and udp only have it written to a socket. */
    private volatile boolean logstashAcknowledges;
    private boolean multiline;
    private int multilineMaxLines = 1;
    private int batchBytes = Integer.MAX_VALUE;
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

    public UploadStore(Path dataDir, int batchSize, int maxEventBytes, Duration syncInterval, Duration retention,
                       LogshipMetrics metrics) {
        this.root = dataDir.resolve("uploads");
        this.batchSize = batchSize;
        this.maxEventBytes = maxEventBytes;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.retention = retention;
        this.metrics = metrics;
        try {
            Files.createDirectories(root);
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploads in " + root, e);
        }
    }

    public UploadStore(Path dataDir, int batchSize, int maxEventBytes) {
        this(dataDir, batchSize, maxEventBytes, Duration.ofMillis(500), Duration.ofDays(7), LogshipMetrics.detached());
    }

    /** The spool whose files this store counts; a batch that fails takes its spool files with it. */
    public void spool(Spool spool) throws IOException {
        this.spool = spool;
        spool.reconcile(this);
    }

    /** MULTILINE ({@code auto}: continuation lines join their event) and MULTILINE_MAX_LINES, for uploads that do not say. */
    public UploadStore joiningLines(String multiline, int maxLines) {
        this.multiline = !"off".equalsIgnoreCase(multiline);
        this.multilineMaxLines = maxLines;
        return this;
    }

    /** UPLOAD_BATCH_BYTES: a batch ends at the first event past this many bytes, whatever its event count. */
    public UploadStore limitingBatchBytes(int bytes) {
        this.batchBytes = bytes;
        return this;
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
        save(status, true);
        try {
            // the new directory's entry, and the content's and status.json's names in it
            DiskSync.directory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + root, e);
        }
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
        Path file = content(upload.id());
        boolean join = upload.multiline() == null ? multiline : !"off".equals(upload.multiline());
        return new UploadReader(upload, file, status.resumeOffset(), status.resumeLine(), batchSize, maxEventBytes,
                UploadReader.lineFormat(upload, file), join, multilineMaxLines).limitBytes(batchBytes);
    }

    /** A batch was read: its account opens, with its lines received and its oversized lines rejected. */
    public void read(LineBatch batch, Exchange exchange) {
        BatchAccount account = BatchAccount.read(batch);
        BatchAccount failedTry = inFlight.put(account.uploadId(), account);
        if (failedTry != null) {
            account.carry(failedTry);
        }
        exchange.setProperty(BatchAccount.PROPERTY, account);
        metrics.received(batch.count() + batch.rejected().size());
        if (!batch.rejected().isEmpty()) {
            metrics.rejected(LogshipMetrics.OVERSIZED_LINE, batch.rejected().size());
        }
    }

    /**
     * A batch was read and encoded: its account opens (as in read) with its parse errors, which the variable
     * {@link EventEncoder#PARSE_ERRORS} also hands to the dead letters; the body becomes its events.
     */
    public EventBatch open(EventEncoder.Encoded batch, Exchange exchange) {
        read(batch.lines(), exchange);
        exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class).parseErrors(batch.parseErrors().size());
        exchange.setVariable(EventEncoder.PARSE_ERRORS, batch.parseErrors());
        return batch.events();
    }

    public void logstashAcknowledges(boolean acknowledges) {
        this.logstashAcknowledges = acknowledges;
    }

    /** The sink took the exchange's frame (the body) whole. */
    public void delivered(Exchange exchange, String sink) {
        EventBatch frame = exchange.getMessage().getBody(EventBatch.class);
        BatchAccount account = exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class);
        if (account != null) {     // null: the monitor's test message
            account.frameSent(frameIndex(exchange), sink, frame.count(), acknowledges(sink));
        }
    }

    /** Whether the exchange's frame still has to go: a failed try of the same batch did not deliver it already. */
    public boolean unsent(Exchange exchange) {
        BatchAccount account = exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class);
        return account == null || !account.frameSent(frameIndex(exchange));
    }

    /** The frame's place in its batch (ship splits a batch into frames), the same each time the batch is read. */
    private static int frameIndex(Exchange exchange) {
        return exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
    }

    /** The sink took {@code events} events of the exchange's batch. */
    public void delivered(Exchange exchange, String sink, int events) {
        BatchAccount account = exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class);
        if (account != null) {     // null: the monitor's test message
            account.sent(sink, events, acknowledges(sink));
        }
    }

    /** Logstash's http input acknowledges; over tcp and udp a frame was only written. The other sinks acknowledge. */
    private boolean acknowledges(String sink) {
        return logstashAcknowledges || !"logstash".equals(sink);
    }

    /** The exchange's batch is in the spool file named by the variable {@link Spool#FILE}. */
    public void spooled(Exchange exchange) {
        BatchAccount account = exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class);
        if (account != null) {
            account.spooled(exchange.getVariable(Spool.FILE, String.class), exchange.getMessage().getBody(EventBatch.class).count());
        }
    }

    /** A sink refused an event of the exchange's batch for good. */
    public void rejected(Exchange exchange, long line, String reason) {
        BatchAccount account = exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class);
        if (account != null) {
            account.rejected(line, reason);
        }
    }

    /** Every event of the batch is accounted for: its counts and the resume point past it, in one step. */
    public void checkpoint(EventBatch batch, Exchange exchange) {
        UploadStatus status = status(batch.uploadId());
        status.apply(exchange.getProperty(BatchAccount.PROPERTY, BatchAccount.class), batch.resumeOffset(), batch.resumeLine());
        exchange.removeProperty(BatchAccount.PROPERTY);
        inFlight.remove(batch.uploadId());
        long now = System.nanoTime();
        Long last = lastSynced.get(batch.uploadId());
        save(status, last == null || now - last >= syncIntervalNanos);
    }

    /**
     * A spooled batch was replayed: what left the spool moves to its sink or to rejected, durably, before the file
     * goes. Settling a file twice (a crash before its deletion) counts it once.
     */
    public void settle(BatchAccount account) {
        UploadStatus status = uploads.get(account.uploadId());
        if (status != null && status.settle(account)) {
            save(status, true);
        }
    }

    /** The settled spool file was deleted. */
    public void forget(BatchAccount account) {
        UploadStatus status = uploads.get(account.uploadId());
        if (status != null) {
            status.forget(account.spoolFile());
        }
    }

    /** A spooled batch may be replayed once its upload counted it: at the checkpoint after the batch. */
    public boolean replayable(Spool.Spooled spooled) {
        UploadStatus status = uploads.get(spooled.uploadId());
        return status == null || "completed".equals(status.status()) || status.resumeLine() >= spooled.resumeLine();
    }

    @Override
    public boolean settled(String uploadId, String file) {
        UploadStatus status = uploads.get(uploadId);
        return status != null && status.settled(file);
    }

    @Override
    public boolean checkpointed(String uploadId, long resumeLine) {
        return replayable(new Spool.Spooled(null, uploadId, resumeLine, null));
    }

    public void completed(Upload upload) {
        UploadStatus status = status(upload.id());
        status.status("completed");
        save(status, true);
        try {
            Files.deleteIfExists(content(upload.id()));
        } catch (IOException e) {
            LOG.warn("Could not delete the content of completed upload {}: {}", upload.id(), e.getMessage());
        }
    }

    /**
     * The batch in flight did not reach its checkpoint: its counts are dropped and its spool files removed (the
     * upload reads it again from the checkpoint). A full spool makes the upload wait; any other fault fails it.
     */
    public void failed(Upload upload, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        UploadStatus status = status(upload.id());
        discard(inFlight.get(upload.id()));
        if (isSpoolFull(cause)) {
            status.waitForSpool();
            save(status, true);
            LOG.warn("Upload {} waits at line {} for room in the spool: {}", upload.id(), status.resumeLine(), rootMessage(cause));
            return;
        }
        status.status("failed");
        save(status, true);
        LOG.error("Upload {} failed; its content stays in {} and it is tried again from its last checkpoint",
                upload.id(), content(upload.id()), cause);
    }

    private void discard(BatchAccount account) {
        if (account == null || spool == null) {
            return;
        }
        for (String file : account.spoolFiles()) {
            try {
                spool.delete(file);
            } catch (IOException e) {
                // left in the spool: removed at the next start, as a file past the upload's checkpoint
                LOG.error("Could not remove spool file {} of a batch that will be read again: {}", file, e.getMessage());
            }
        }
    }

    private static boolean isSpoolFull(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Spool.FullException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /**
     * Uploads whose processing failed while this process runs (a route reloaded under it, a full disk), and those
     * waiting for room in the spool once it has some: tried again from their last checkpoint.
     */
    public List<Upload> retryFailed() {
        boolean room = spool == null || !spool.isFull();   // a waiting upload would only be refused again
        List<Upload> retry = new ArrayList<>();
        for (UploadStatus status : uploads.values()) {
            if (Files.exists(content(status.upload().id())) && status.retry(room)) {
                retry.add(status.upload());
            }
        }
        return retry;
    }

    public Map<String, Object> result(Upload upload) {
        return status(upload.id()).view();
    }

    /**
     * Uploads accepted but not completed before the last stop, oldest first, handed out once. An upload this run
     * accepted itself is already being processed: it is not among them.
     */
    public synchronized List<Upload> recover() {
        List<Upload> unfinished = earlierRun.stream().map(UploadStatus::upload).toList();
        earlierRun.clear();
        return unfinished;
    }

    /**
     * Reads every status at start. A directory without status.json is an upload that was never accepted (logship
     * stopped between storing the content and answering): it is removed. Completed uploads older than
     * {@code UPLOAD_RETENTION} are removed too.
     */
    private void load() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path file = dir.resolve("status.json");
                if (!Files.exists(file)) {
                    LOG.warn("Upload directory {} has no status.json: the upload was never accepted (logship stopped before "
                            + "answering it); removed", dir);
                    deleteTree(dir);
                    continue;
                }
                UploadStatus status;
                try {
                    status = JSON.readValue(file.toFile(), UploadStatus.class);
                } catch (IOException e) {
                    LOG.error("Upload directory {} has an unreadable status.json, left as it is: {}", dir, e.getMessage());
                    continue;
                }
                status.completedAtLeast(Files.getLastModifiedTime(file).toMillis());
                if (expired(status)) {
                    deleteTree(dir);
                    continue;
                }
                uploads.put(status.upload().id(), status);
                if (!"completed".equals(status.status()) && Files.exists(content(status.upload().id()))) {
                    earlierRun.add(status);
                }
            }
        }
        earlierRun.sort(Comparator.comparingLong(this::modified));
    }

    /**
     * Completed uploads older than {@code UPLOAD_RETENTION} leave memory and disk (their status answers 404 from
     * then on); one with events still in the spool is kept until they are delivered.
     */
    public int prune() {
        int pruned = 0;
        for (UploadStatus status : uploads.values()) {
            if (expired(status)) {
                String id = status.upload().id();
                uploads.remove(id);
                lastSynced.remove(id);
                try {
                    deleteTree(root.resolve(id));
                    pruned++;
                } catch (IOException e) {
                    LOG.warn("Could not remove upload {} past its retention: {}", id, e.getMessage());
                }
            }
        }
        if (pruned > 0) {
            LOG.info("Removed {} completed uploads older than UPLOAD_RETENTION ({})", pruned, retention);
        }
        return pruned;
    }

    private boolean expired(UploadStatus status) {
        long completedAt = status.completedAt();
        return "completed".equals(status.status()) && completedAt > 0
                && ((Number) status.view().get("spooled")).longValue() == 0
                && System.currentTimeMillis() - completedAt > retention.toMillis();
    }

    private long modified(UploadStatus status) {
        try {
            return Files.getLastModifiedTime(content(status.upload().id())).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Persists counts and resume point together (write, then rename over status.json); one writer at a time per
     * upload. {@code sync}: fsync the file before the rename and the directory after, for a power loss.
     */
    void save(UploadStatus status, boolean sync) {
        String id = status.upload().id();
        Path dir = root.resolve(id);
        Path tmp = dir.resolve("status.json.tmp");
        synchronized (status) {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(status)));
                if (sync) {
                    channel.force(false);
                }
                try {
                    Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.REPLACE_EXISTING);
                }
                if (sync) {
                    DiskSync.directory(dir);
                    lastSynced.put(id, System.nanoTime());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the status of upload " + id, e);
            }
        }
        fleet.publish(status);
    }

    void save(UploadStatus status) {
        save(status, true);
    }

    public Path uploadDir(String uploadId) {
        return root.resolve(uploadId);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
