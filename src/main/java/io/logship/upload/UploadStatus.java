package io.logship.upload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the events of one upload went. Every received event is in exactly one of the counts:
 * received = sent_logstash + sent_elasticsearch + sent_kafka + spooled + rejected once the upload is completed.
 * The resume point moves only when a batch is delivered or spooled, so a restart repeats at most one batch.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
                isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class UploadStatus {

    public static final int MAX_ERRORS = 20;

    @JsonProperty("upload_id") private final String uploadId;
    @JsonProperty("tenant_id") private final String tenantId;
    private final String source;
    private final String environment;
    @JsonProperty("text_only") private final boolean textOnly;
    private final long bytes;
    private String status = "accepted";
    private long received;
    @JsonProperty("sent_logstash") private long sentLogstash;
    @JsonProperty("sent_elasticsearch") private long sentElasticsearch;
    @JsonProperty("sent_kafka") private long sentKafka;
    private long spooled;
    private long rejected;
    private final List<Map<String, Object>> errors = new ArrayList<>();
    @JsonProperty("resume_offset") private long resumeOffset;
    @JsonProperty("resume_line") private long resumeLine;

    public UploadStatus(Upload upload) {
        this(upload.id(), upload.tenantId(), upload.source(), upload.environment(), upload.textOnly(), upload.bytes());
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
        return new Upload(uploadId, tenantId, source, environment, textOnly, bytes);
    }

    public String tenantId() {
        return tenantId;
    }

    public synchronized String status() {
        return status;
    }

    synchronized void status(String value) {
        status = value;
    }

    /** A failed upload is queued again once: it resumes from its last checkpoint. */
    synchronized boolean retryIfFailed() {
        if (!"failed".equals(status)) {
            return false;
        }
        status = "accepted";
        return true;
    }

    synchronized void read(LineBatch batch) {
        received += batch.count() + batch.rejected().size();
        for (LineBatch.RejectedLine line : batch.rejected()) {
            reject(line.line(), line.reason());
        }
    }

    synchronized void delivered(String sink, int events) {
        if ("elasticsearch".equals(sink)) {
            sentElasticsearch += events;
        } else if ("kafka".equals(sink)) {
            sentKafka += events;
        } else {
            sentLogstash += events;
        }
    }

    synchronized void spooled(int events) {
        spooled += events;
    }

    synchronized void unspooled(int events) {
        spooled -= events;
    }

    synchronized void reject(long line, String reason) {
        rejected++;
        if (errors.size() < MAX_ERRORS) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("line", line);
            error.put("reason", reason);
            errors.add(error);
        }
    }

    synchronized void resumeAt(long offset, long line) {
        resumeOffset = offset;
        resumeLine = line;
    }

    public synchronized long resumeOffset() {
        return resumeOffset;
    }

    public synchronized long resumeLine() {
        return resumeLine;
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
        view.put("sent_logstash", sentLogstash);
        view.put("sent_elasticsearch", sentElasticsearch);
        view.put("sent_kafka", sentKafka);
        view.put("spooled", spooled);
        view.put("rejected", rejected);
        view.put("errors", List.copyOf(errors));
        return view;
    }
}
