package io.logship.fallback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.CreateOperation;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.logship.event.EventBatch;
import io.logship.event.EventId;
import io.logship.event.TenantIndexName;
import io.logship.monitor.ForwarderStatistics;
import io.logship.monitor.LogshipMetrics;
import io.logship.upload.UploadStore;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;

/**
 * A batch as an Elasticsearch Bulk request, and what its item results mean. The documents are the very
 * bytes Logstash would have received, written into {@code logs-{tenant}-YYYY.MM} with {@code _id} =
 * {@code event_id}. They are written with {@code create}, not {@code index}: a default 8.x/9.x cluster makes
 * every {@code logs-*-*} name a data stream, which takes only {@code create}; and a plain index answers a
 * replayed document with 409, which means it is already there, so a replay never duplicates. A bulk answer
 * can succeed while items fail: an item counts as sent only when Elasticsearch says so; items refused for
 * load (429), by a server error or for lack of privileges (401, 403) are retried and then spooled; items
 * refused for good go to the dead letters with the reason.
 */
public class ElasticsearchBulk {

    public static final String SINK = "elasticsearch";
    private static final String PENDING = "bulkPending";
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean enabled;
    private final UploadStore uploads;
    private final DeadLetters deadLetters;
    private final ForwarderStatistics statistics;

    public ElasticsearchBulk(boolean enabled, UploadStore uploads, DeadLetters deadLetters, ForwarderStatistics statistics) {
        this.enabled = enabled;
        this.uploads = uploads;
        this.deadLetters = deadLetters;
        this.statistics = statistics;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The type conversion camel-elasticsearch asks for: the batch stays the message body, so a failed
     * request leaves it intact for redelivery and the spool.
     */
    public static BulkRequest.Builder request(EventBatch batch) throws IOException {
        BulkRequest.Builder request = new BulkRequest.Builder();
        for (int i = 0; i < batch.count(); i++) {
            byte[] document = Arrays.copyOfRange(batch.data(), batch.start(i), batch.start(i) + batch.documentBytes(i) - 1);
            CreateOperation<Object> create = new CreateOperation.Builder<Object>()
                    .index(TenantIndexName.of(batch.tenantId(), timestampOf(document)))
                    .id(EventId.of(batch.uploadId(), batch.line(i)))
                    .document(BinaryData.of(document, ContentType.APPLICATION_JSON))
                    .build();
            request.operations(op -> op.create(create));
        }
        return request;
    }

    /**
     * Accounts for every item. Keeps the retryable items as {@link #pending} and throws, so the route's
     * redelivery sends only those again. The counts go to the batch's account (UploadStore).
     */
    public void outcome(Exchange exchange, @Variable("bulkItems") List<BulkResponseItem> items)
            throws IOException, RetryableBulkItems {
        EventBatch batch = exchange.getMessage().getBody(EventBatch.class);
        if (items == null || items.size() != batch.count()) {
            throw new IllegalStateException("Elasticsearch answered " + (items == null ? 0 : items.size())
                    + " bulk items for " + batch.count() + " documents");
        }
        List<Integer> retry = new ArrayList<>();
        int sent = 0;
        String lastRetryReason = null;
        for (int i = 0; i < batch.count(); i++) {
            BulkResponseItem item = items.get(i);
            int status = item.status();
            if (item.error() == null && status >= 200 && status < 300 || alreadyThere(item)) {
                sent++;
            } else if (status == 429 || status >= 500 || status == 401 || status == 403) {
                retry.add(i);
                lastRetryReason = status + " " + reason(item);
            } else {
                String reason = "Elasticsearch refused the document (" + status + "): " + reason(item);
                deadLetters.write(batch, i, status, reason);
                uploads.rejected(exchange, batch.line(i), reason);
                statistics.rejected(LogshipMetrics.ELASTICSEARCH_REFUSED, 1);
            }
        }
        uploads.delivered(exchange, SINK, sent);
        statistics.sentElasticsearch(sent);
        if (retry.isEmpty()) {
            exchange.removeVariable(PENDING);
        } else {
            // a variable, not the body: a redelivery starts again from the message as it was
            exchange.setVariable(PENDING, batch.select(retry));
            throw new RetryableBulkItems(retry.size() + " of " + batch.count() + " documents were not indexed: " + lastRetryReason);
        }
    }

    /** What is still to be delivered: the items a previous Bulk answer asked to retry, else the whole batch. */
    public EventBatch pending(Exchange exchange) {
        EventBatch pending = exchange.getVariable(PENDING, EventBatch.class);
        return pending != null ? pending : exchange.getMessage().getBody(EventBatch.class);
    }

    /** A document with this {@code _id} exists: an earlier attempt (a replay, a crash before the checkpoint) wrote it. */
    private static boolean alreadyThere(BulkResponseItem item) {
        return item.status() == 409 && item.error() != null && "version_conflict_engine_exception".equals(item.error().type());
    }

    private static String reason(BulkResponseItem item) {
        if (item.error() == null) {
            return "no reason given";
        }
        return item.error().type() + ": " + item.error().reason();
    }

    /** The wire {@code @timestamp} of a document: top-level, and always present in what the encoder writes. */
    static String timestampOf(byte[] document) throws IOException {
        try (JsonParser parser = JSON.createParser(document)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("@timestamp")) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        }
        throw new IllegalStateException("document without @timestamp");
    }

    /**
     * Some items could be indexed later: Elasticsearch was busy (429) or failed (5xx), or logship's credentials
     * may not write them (401, 403), which an operator fixes, and then the spool delivers them.
     */
    public static class RetryableBulkItems extends Exception {
        public RetryableBulkItems(String message) {
            super(message);
        }
    }
}
