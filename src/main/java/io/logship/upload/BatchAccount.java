package io.logship.upload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the events of one batch went, collected while the batch is under way and applied to its upload's counts in
 * one step: at the checkpoint (a batch read from an upload) or when a spooled batch is settled (a replay). A batch
 * that fails before then changes no count, so a batch read again after a retry or a crash is counted once.
 *
 * <p>It travels with the exchange as the property {@link #PROPERTY}; split and dead letter copies share it.
 *
 * <p>A batch is shipped as frames (one exchange each: over http, a POST of LOGSTASH_BATCH_SIZE events). The frames a
 * sink took whole are remembered by their index, so that when the batch fails later (a full spool) and is read
 * again, they are not sent a second time ({@link #carry}).
 */
public final class BatchAccount {

    public static final String PROPERTY = "logshipBatchAccount";

    private final String uploadId;
    private final String spoolFile;
    private int received;
    private final Map<String, Integer> sent = new LinkedHashMap<>();
    /** Of {@link #sent}, what was only written to a socket (tcp, udp): nothing confirmed it arrived. */
    private final Map<String, Integer> written = new LinkedHashMap<>();
    private int spooled;
    private int parseErrors;
    private final List<String> spoolFiles = new ArrayList<>();
    private final List<LineBatch.RejectedLine> rejected = new ArrayList<>();
    private final Map<Integer, Frame> framesSent = new HashMap<>();
    /** where the batch ends in its upload: the same batch read again ends there too */
    private long resumeOffset = -1;

    /** A frame a sink took whole. */
    private record Frame(String sink, int events, boolean acknowledged) {
    }

    private BatchAccount(String uploadId, String spoolFile) {
        this.uploadId = uploadId;
        this.spoolFile = spoolFile;
    }

    /** A batch read from an upload: its lines are received now. */
    public static BatchAccount read(LineBatch batch) {
        BatchAccount account = new BatchAccount(batch.upload().id(), null);
        account.received = batch.count() + batch.rejected().size();
        account.rejected.addAll(batch.rejected());
        account.resumeOffset = batch.resumeOffset();
        return account;
    }

    /** A batch replayed from the spool file {@code name}: its events were counted as spooled already. */
    public static BatchAccount replay(String uploadId, String name) {
        return new BatchAccount(uploadId, name);
    }

    public String uploadId() {
        return uploadId;
    }

    /** The spool file this batch is replayed from, or null for a batch read from its upload. */
    public String spoolFile() {
        return spoolFile;
    }

    public boolean fromSpool() {
        return spoolFile != null;
    }

    public synchronized void sent(String sink, int events, boolean acknowledged) {
        if (events > 0) {
            sent.merge(sink, events, Integer::sum);
            if (!acknowledged) {
                written.merge(sink, events, Integer::sum);
            }
        }
    }

    /** The sink took frame {@code index} of the batch whole (counted once, however often it is reported). */
    public synchronized void frameSent(int index, String sink, int events, boolean acknowledged) {
        if (framesSent.putIfAbsent(index, new Frame(sink, events, acknowledged)) == null) {
            sent(sink, events, acknowledged);
        }
    }

    /** Whether frame {@code index} went to a sink in this try or in an earlier one of the same batch. */
    public synchronized boolean frameSent(int index) {
        return framesSent.containsKey(index);
    }

    /**
     * The same batch, read again after {@code failed} did not reach its checkpoint: the frames a sink took in that
     * try count as sent in this one and are not sent again.
     */
    public synchronized void carry(BatchAccount failed) {
        if (failed.resumeOffset == resumeOffset) {
            failed.framesSent.forEach((index, frame) -> frameSent(index, frame.sink(), frame.events(), frame.acknowledged()));
        }
    }

    public synchronized void spooled(String file, int events) {
        spooled += events;
        spoolFiles.add(file);
    }

    /** Lines meant as JSON that did not parse: forwarded tagged parse_error, counted apart (not a destination). */
    public synchronized void parseErrors(int lines) {
        parseErrors += lines;
    }

    synchronized int parseErrors() {
        return parseErrors;
    }

    public synchronized void rejected(long line, String reason) {
        rejected.add(new LineBatch.RejectedLine(line, reason));
    }

    synchronized int received() {
        return received;
    }

    synchronized Map<String, Integer> sent() {
        return new LinkedHashMap<>(sent);
    }

    synchronized Map<String, Integer> written() {
        return new LinkedHashMap<>(written);
    }

    synchronized int spooled() {
        return spooled;
    }

    /** The spool files this batch wrote: they hold its events until the checkpoint, and are void without it. */
    public synchronized List<String> spoolFiles() {
        return List.copyOf(spoolFiles);
    }

    synchronized List<LineBatch.RejectedLine> rejectedLines() {
        return List.copyOf(rejected);
    }

    /** Events that left the spool in this replay: delivered or refused for good. */
    public synchronized int settled() {
        return sent.values().stream().mapToInt(Integer::intValue).sum() + rejected.size();
    }
}
