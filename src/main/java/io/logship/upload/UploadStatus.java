package io.logship.upload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the events of one upload went. Every received event is in exactly one of the counts, at every moment:
 * received = sent (per sink) + spooled + rejected. The counts change only in two steps, each under this object's
 * lock: {@link #apply} at a batch's checkpoint (with the resume point) and {@link #settle} when a spooled batch
 * leaves the spool.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
                isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class UploadStatus {

    public static final int MAX_ERRORS = 20;
    /** The sinks every status shows, delivered to or not; another sink appears once it took an event. */
    static final List<String> SINKS = List.of("logstash", "elasticsearch", "kafka");
    private static final String SENT = "sent_";
    private static final String WRITTEN = "written_";
    private static final String ACKNOWLEDGED = "acknowledged_";

    @JsonProperty("upload_id") private final String uploadId;
    @JsonProperty("tenant_id") private final String tenantId;
    private final String source;
    private final String environment;
    @JsonProperty("text_only") private final boolean textOnly;
    private final long bytes;
    // how the lines are read (issue 10); absent in statuses written before: the defaults
    private String format;
    private String timezone;
    private String multiline;
    @JsonProperty("accepted_at") private long acceptedAt;
    @JsonProperty("parse_errors") private long parseErrors;
    private String status = "accepted";
    private long received;
    @JsonIgnore private final Map<String, Long> sent = new LinkedHashMap<>();
    /** Of {@link #sent}: only written to a socket (tcp, udp), never acknowledged by the peer. */
    @JsonIgnore private final Map<String, Long> written = new LinkedHashMap<>();
    private long spooled;
    private long rejected;
    private final List<Map<String, Object>> errors = new ArrayList<>();
    @JsonProperty("resume_offset") private long resumeOffset;
    @JsonProperty("resume_line") private long resumeLine;
    @JsonProperty("completed_at") private long completedAt;
    /** Spool files already counted out of {@code spooled}: replayed again after a crash, they count nothing. */
    @JsonProperty("settled_spool_files") private final Set<String> settledSpoolFiles = new LinkedHashSet<>();
    /** Waiting for room in the spool: queued again by the retry timer, not counted as failed. */
    @JsonIgnore private boolean waiting;

    public UploadStatus(Upload upload) {
        this(upload.id(), upload.tenantId(), upload.source(), upload.environment(), upload.textOnly(), upload.bytes());
        this.format = upload.format();
        this.timezone = upload.timezone();
        this.multiline = upload.multiline();
        this.acceptedAt = upload.acceptedAt();
    }

    @JsonCreator
    UploadStatus(@JsonProperty("upload_id") String uploadId, @JsonProperty("tenant_id") String tenantId,
                 @JsonProperty("source") String source, @JsonProperty("environment") String environment,
                 @JsonProperty("text_only") boolean textOnly, @JsonProperty("bytes") long bytes) {
        this.uploadId = uploadId;
        this.tenantId = tenantId;
        this.source = source;
        this.environment = environment;
        this.textOnly = textOnly;
        this.bytes = bytes;
    }

    @JsonIgnore
    public Upload upload() {
        return new Upload(uploadId, tenantId, source, environment, textOnly, bytes,
                format != null ? format : textOnly ? "text" : "auto", timezone, multiline, acceptedAt);
    }

    public String tenantId() {
        return tenantId;
    }

    public synchronized String status() {
        return status;
    }

    synchronized void status(String value) {
        status = value;
        waiting = false;
        if ("completed".equals(value)) {
            completedAt = System.currentTimeMillis();
        }
    }

    /** The spool had no room for a batch: the upload waits (from its checkpoint) until it has. */
    synchronized void waitForSpool() {
        status = "accepted";
        waiting = true;
    }

    synchronized long completedAt() {
        return completedAt;
    }

    /** A status saved before completed_at was kept: its file's time stands in. */
    synchronized void completedAtLeast(long millis) {
        if ("completed".equals(status) && completedAt == 0) {
            completedAt = millis;
        }
    }

    /** A failed or waiting upload is queued again once: it resumes from its last checkpoint. */
    synchronized boolean retry(boolean spoolHasRoom) {
        if ("failed".equals(status) || (waiting && spoolHasRoom)) {
            status = "accepted";
            waiting = false;
            return true;
        }
        return false;
    }

    /** A batch is accounted for: its counts and the resume point after it, together. */
    synchronized void apply(BatchAccount account, long offset, long line) {
        received += account.received();
        account.sent().forEach((sink, events) -> sent.merge(sink, (long) events, Long::sum));
        account.written().forEach((sink, events) -> written.merge(sink, (long) events, Long::sum));
        spooled += account.spooled();
        parseErrors += account.parseErrors();
        for (LineBatch.RejectedLine rejectedLine : account.rejectedLines()) {
            reject(rejectedLine.line(), rejectedLine.reason());
        }
        resumeOffset = offset;
        resumeLine = line;
    }

    /** Events of a spooled batch were delivered or refused for good: they leave {@code spooled}. */
    synchronized boolean settle(BatchAccount account) {
        if (!settledSpoolFiles.add(account.spoolFile())) {
            return false;
        }
        spooled -= account.settled();
        account.sent().forEach((sink, events) -> sent.merge(sink, (long) events, Long::sum));
        account.written().forEach((sink, events) -> written.merge(sink, (long) events, Long::sum));
        for (LineBatch.RejectedLine rejectedLine : account.rejectedLines()) {
            reject(rejectedLine.line(), rejectedLine.reason());
        }
        return true;
    }

    synchronized boolean settled(String spoolFile) {
        return settledSpoolFiles.contains(spoolFile);
    }

    /** The settled file is gone from the spool: nothing can replay it again. */
    synchronized void forget(String spoolFile) {
        settledSpoolFiles.remove(spoolFile);
    }

    private void reject(long line, String reason) {
        rejected++;
        if (errors.size() < MAX_ERRORS) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("line", line);
            error.put("reason", reason);
            errors.add(error);
        }
    }

    public synchronized long resumeOffset() {
        return resumeOffset;
    }

    public synchronized long resumeLine() {
        return resumeLine;
    }

    /**
     * {@code sent_logstash}, {@code sent_elasticsearch} and any other sink's count, in status.json and the view; for
     * Logstash also how many of them its http input acknowledged and how many were only written (tcp, udp).
     */
    @JsonAnyGetter
    synchronized Map<String, Object> sentCounts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String sink : SINKS) {
            counts.put(SENT + sink, sent.getOrDefault(sink, 0L));
        }
        sent.forEach((sink, events) -> counts.put(SENT + sink, events));
        long logstash = sent.getOrDefault("logstash", 0L);
        long logstashWritten = written.getOrDefault("logstash", 0L);
        counts.put(ACKNOWLEDGED + "logstash", logstash - logstashWritten);
        counts.put(WRITTEN + "logstash", logstashWritten);
        return counts;
    }

    @JsonAnySetter
    synchronized void sentCount(String name, Object value) {
        if (value instanceof Number events) {
            if (name.startsWith(SENT)) {
                sent.put(name.substring(SENT.length()), events.longValue());
            } else if (name.startsWith(WRITTEN)) {
                written.put(name.substring(WRITTEN.length()), events.longValue());
            }
        }
    }

    /** The public view of {@code GET /api/v1/logs/uploads/{id}}. */
    public synchronized Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("upload_id", uploadId);
        view.put("status", status);
        view.put("source", source);
        if (environment != null) {
            view.put("environment", environment);
        }
        view.put("bytes", bytes);
        view.put("received", received);
        view.putAll(sentCounts());
        view.put("spooled", spooled);
        view.put("rejected", rejected);
        view.put("parse_errors", parseErrors);
        view.put("errors", List.copyOf(errors));
        return view;
    }
}
