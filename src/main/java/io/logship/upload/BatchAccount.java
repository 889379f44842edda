package io.logship.upload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the events of one batch went, collected while the batch is under way and applied to its upload's counts in
 * one step: at the checkpoint (a batch read from an upload) or when a spooled batch is settled (a replay). A batch
 * that fails before then changes no count, so a batch read again after a retry or a crash is counted once.
 *
 * <p>It travels with the exchange as the property {@link #PROPERTY}; split and dead letter copies share it.
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

    private BatchAccount(String uploadId, String spoolFile) {
        this.uploadId = uploadId;
        this.spoolFile = spoolFile;
    }

    /** A batch read from an upload: its lines are received now. */
    public static BatchAccount read(LineBatch batch) {
        BatchAccount account = new BatchAccount(batch.upload().id(), null);
        account.received = batch.count() + batch.rejected().size();
        account.rejected.addAll(batch.rejected());
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
