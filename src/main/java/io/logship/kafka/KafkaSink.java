package io.logship.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.logship.event.EventBatch;
import io.logship.monitor.ForwarderStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka output ({@code KAFKA_BOOTSTRAP_SERVERS}): one record per event, the event's JSON as the value,
 * and what the monitor, the health check and the metrics say about it. A record counts as acknowledged only
 * once the broker acknowledged it with {@code acks=all} (the route sends a batch and waits for every record).
 */
public class KafkaSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final KafkaSettings settings;
    private final String topic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Counter sentMeter;
    private final Counter batchesMeter;
    private final Counter failedMeter;
    private final Counter redeliveriesMeter;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastAcknowledgedAt;
    private Admin admin;
    private ProducerTemplate producer;

    public KafkaSink(KafkaSettings settings, String topic, MeterRegistry meters) {
        this.settings = settings;
        this.topic = topic;
        sentMeter = Counter.builder("logship.events.sent").tag("sink", "kafka").tag("protocol", "kafka").tag("delivery", "acknowledged")
                .description("Events delivered to a sink: acknowledged by it, or only written to a socket").register(meters);
        batchesMeter = Counter.builder("logship.batches").tag("sink", "kafka")
                .description("Batches delivered: TCP writes, UDP datagrams, Bulk requests").register(meters);
        failedMeter = Counter.builder("logship.events.failed").tag("sink", "kafka")
                .description("Events a sink did not take after every redelivery (they go on to the next sink or the spool)")
                .register(meters);
        redeliveriesMeter = Counter.builder("logship.redeliveries").tag("sink", "kafka")
                .description("Redelivery attempts of a batch").register(meters);
        if (settings.enabled()) {
            Gauge.builder("logship.kafka.up", this, sink -> sink.connected ? 1 : 0)
                    .description("1 when the last contact with the Kafka cluster succeeded").register(meters);
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends the batch's events to Kafka and returns once every record is acknowledged; throws what Kafka reported
     * otherwise. The records go in an exchange of their own ({@code direct:kafka-records}), so the caller's body
     * stays the batch for a redelivery, the fallback path or the spool.
     */
    public void send(EventBatch batch, Exchange exchange) throws Exception {
        List<Message> records = records(batch, exchange);
        Exchange sent = producer(exchange).send("direct:kafka-records", out -> out.getMessage().setBody(records));
        if (sent.getException() != null) {
            throw sent.getException();
        }
    }

    /**
     * One message per event: the document without its line break as the value, the tenant as the key (camel-kafka
     * takes the key of a record sent in a list from the record's own message).
     */
    List<Message> records(EventBatch batch, Exchange exchange) {
        List<Message> records = new ArrayList<>(batch.count());
        byte[] data = batch.data();
        for (int i = 0; i < batch.count(); i++) {
            Message record = new DefaultMessage(exchange.getContext());
            record.setHeader(KafkaConstants.KEY, batch.tenantId());
            record.setBody(Arrays.copyOfRange(data, batch.start(i), batch.start(i) + batch.documentBytes(i) - 1));
            records.add(record);
        }
        return records;
    }

    private synchronized ProducerTemplate producer(Exchange exchange) {
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        return producer;
    }

    /** Kafka acknowledged every record of the batch. */
    public void sent(EventBatch batch) {
        acknowledged.addAndGet(batch.count());
        batches.incrementAndGet();
        sentMeter.increment(batch.count());
        batchesMeter.increment();
        lastAcknowledgedAt = Instant.now();
        connected = true;
    }

    /** Kafka did not take the batch after every redelivery: it goes on to the fallback path. */
    public void failed(EventBatch batch, Exchange exchange) {
        failed.addAndGet(batch.count());
        failedMeter.increment(batch.count());
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        error(cause == null ? "not acknowledged by Kafka" : ForwarderStatistics.describe(cause));
    }

    public void redelivered(Exchange exchange) {
        redeliveriesMeter.increment();
        Exception cause = exchange.getException();
        if (cause != null) {
            error(ForwarderStatistics.describe(cause));
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        lastError = message;
        lastErrorAt = Instant.now();
        connected = false;
    }

    /** For the spool replay: Kafka takes batches again. */
    public boolean up() {
        return enabled() && check();
    }

    /** Asks the cluster for its brokers; remembers the outcome for the gauge and logs a change. */
    public synchronized boolean check() {
        if (!enabled()) {
            return false;
        }
        boolean was = connected;
        try {
            if (admin == null) {
                admin = Admin.create(settings.adminClient());
            }
            int brokers = admin.describeCluster().nodes().get(settings.timeoutMillis(), TimeUnit.MILLISECONDS).size();
            connected = brokers > 0;
        } catch (Exception e) {
            connected = false;
            lastError = "Kafka " + settings.bootstrapServers() + ": " + ForwarderStatistics.describe(e);
            lastErrorAt = Instant.now();
        }
        if (was != connected) {
            if (connected) {
                LOG.info("Kafka {} is reachable", settings.bootstrapServers());
            } else {
                LOG.warn("Kafka {} is not reachable: {}", settings.bootstrapServers(), lastError);
            }
        }
        return connected;
    }

    public boolean connected() {
        return connected;
    }

    public String lastError() {
        return lastError;
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    /** The monitor API's {@code kafka} section. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        if (enabled()) {
            view.put("bootstrap_servers", settings.bootstrapServers());
            view.put("topic", topic);
            view.put("connected", connected);
            view.put("records_acknowledged", acknowledged.get());
            view.put("batches_acknowledged", batches.get());
            view.put("records_failed", failed.get());
            view.put("errors", errors.get());
            view.put("last_error", lastError);
            view.put("last_error_at", lastErrorAt == null ? null : lastErrorAt.toString());
            view.put("last_acknowledged_at", lastAcknowledgedAt == null ? null : lastAcknowledgedAt.toString());
        }
        return view;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
