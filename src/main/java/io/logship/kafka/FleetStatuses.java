package io.logship.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.upload.UploadStatus;
import io.logship.upload.UploadStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's upload statuses: every instance publishes the statuses of its own uploads to a compacted Kafka
 * topic (key = upload id, so the topic keeps the latest of each) and reads the whole topic, so
 * {@code GET /api/v1/logs/uploads/{id}} answers on any instance, with no list of peers to configure.
 * The instance that owns an upload answers from its own store; the others from what they read here.
 */
public class FleetStatuses implements UploadStore.Fleet {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStatuses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final boolean enabled;
    private final Map<String, Map<String, Object>> statuses = new ConcurrentHashMap<>();
    // the latest unpublished status per upload: while Kafka is slow, a newer status replaces an older one
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService publisher;
    private ProducerTemplate producer;

    public FleetStatuses(CamelContext context, boolean enabled) {
        this.context = context;
        this.enabled = enabled;
        // one thread: the statuses of an upload are published in the order they were saved
        this.publisher = enabled ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "logship-fleet-statuses");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Called after an upload's status is saved to DATA_DIR; never blocks the upload on Kafka. */
    @Override
    public void publish(UploadStatus status) {
        if (!enabled) {
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>(status.view());
        record.put("tenant_id", status.tenantId());
        String id = status.upload().id();
        try {
            pending.put(id, JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (queued.add(id)) {
            publisher.execute(() -> send(id));
        }
    }

    private void send(String id) {
        queued.remove(id);
        String record = pending.remove(id);
        if (record == null) {
            return;
        }
        try {
            producer().sendBodyAndHeader("direct:publish-upload-status", record, KafkaConstants.KEY, id);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the status of upload {} to the fleet: {}", id, e.getMessage());
        }
    }

    /** A status read from the topic (this instance's own included). */
    public void remember(@Header(KafkaConstants.KEY) String uploadId, String record) throws JsonProcessingException {
        if (uploadId == null || record == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> status = JSON.readValue(record, Map.class);
        statuses.put(uploadId, status);
    }

    /** The status of an upload another instance accepted, for its tenant only. */
    @Override
    public Map<String, Object> find(String uploadId, String tenantId) {
        Map<String, Object> status = statuses.get(uploadId);
        if (status == null || !tenantId.equals(status.get("tenant_id"))) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>(status);
        view.remove("tenant_id");
        return view;
    }


    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    public void close() {
        if (publisher != null) {
            publisher.shutdown();
        }
    }
}
