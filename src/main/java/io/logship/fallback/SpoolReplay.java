package io.logship.fallback;

import java.io.IOException;

import io.logship.event.EventBatch;
import io.logship.kafka.KafkaSink;
import io.logship.monitor.ForwarderStatistics;
import io.logship.ship.LogstashConnection;
import io.logship.upload.BatchAccount;
import io.logship.upload.UploadStore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool: oldest batch first, each through the route {@code direct:replay}, while a sink takes them.
 * A file leaves the spool only after its upload has durably counted what left it (settled), so a crash between the
 * two replays the file again without counting it twice. Logstash is a replay target over http, which acknowledges
 * each batch, and over TCP, where at least a refused connection is visible; over UDP nothing confirms delivery, so
 * spooled batches wait for Elasticsearch. With Kafka configured, Kafka is the first target.
 *
 * <p>A batch is replayed only once its upload has checkpointed it: before that, the batch may still fail and be
 * read again from the upload, and its spool file is void.
 */
public class SpoolReplay {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);

    private final Spool spool;
    private final LogstashConnection logstash;
    private final ElasticsearchBulk elasticsearch;
    private final ForwarderStatistics statistics;
    private final UploadStore uploads;
    private final KafkaSink kafka;

    public SpoolReplay(Spool spool, LogstashConnection logstash, ElasticsearchBulk elasticsearch,
                       ForwarderStatistics statistics, UploadStore uploads, KafkaSink kafka) {
        this.spool = spool;
        this.logstash = logstash;
        this.elasticsearch = elasticsearch;
        this.statistics = statistics;
        this.uploads = uploads;
        this.kafka = kafka;
    }

    /** One tick: replays until the spool is empty or a batch is not (wholly) taken. Returns the files delivered. */
    public int drain(Exchange tick) throws IOException {
        if (spool.isEmpty() || !(kafka.up() || logstashUp() || elasticsearch.enabled())) {
            return 0;
        }
        ProducerTemplate producer = tick.getContext().createProducerTemplate();
        try {
            int delivered = 0;
            Spool.Spooled next;
            while ((next = spool.oldest(uploads::replayable)) != null) {
                if (!replay(next, producer, tick)) {
                    break;
                }
                delivered++;
            }
            return delivered;
        } finally {
            try {
                producer.stop();
            } catch (Exception ignored) {
                // nothing held
            }
        }
    }

    /** True when the whole batch was taken. */
    private boolean replay(Spool.Spooled spooled, ProducerTemplate producer, Exchange tick) throws IOException {
        EventBatch batch = spooled.batch();
        BatchAccount account = BatchAccount.replay(batch.uploadId(), spooled.name());
        Exchange exchange = new DefaultExchange(tick.getContext());
        exchange.getMessage().setBody(batch);
        exchange.setProperty(BatchAccount.PROPERTY, account);
        exchange.setVariable("replay", true);
        producer.send("direct:replay", exchange);
        Exception failure = exchange.getException();
        if (failure == null) {
            uploads.settle(account);
            spool.delete(spooled.name());
            uploads.forget(account);
            LOG.info("Replayed spool file {} ({} events)", spooled.name(), batch.count());
            return true;
        }
        EventBatch remaining = elasticsearch.pending(exchange);
        if (account.settled() > 0 && remaining.count() < batch.count()) {
            // part of it was taken: the rest keeps the batch's place; then the upload counts what left, then the file goes
            spool.replace(spooled.name(), remaining);
            uploads.settle(account);
            spool.delete(spooled.name());
            uploads.forget(account);
        }
        LOG.warn("Spool replay of {} stopped: {}", spooled.name(), failure.getMessage());
        statistics.error("spool replay: " + failure.getMessage());
        return false;
    }

    public boolean logstashUp() {
        return logstash.enabled() && !"udp".equals(logstash.protocol()) && logstash.check();
    }
}
