package io.logship.kafka;

import java.util.Map;

import io.logship.health.SinkHealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code kafka}: does the Kafka cluster answer (its brokers are listed), with what the sink has acknowledged.
 * Readiness as for every {@link SinkHealthCheck}.
 */
public class KafkaHealthCheck extends SinkHealthCheck {

    private final KafkaSink kafka;

    public KafkaHealthCheck(KafkaSink kafka, boolean readiness) {
        super("kafka", readiness);
        this.kafka = kafka;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Object> view = kafka.view();
        builder.detail("bootstrap_servers", kafka.bootstrapServers());
        builder.detail("topic", kafka.topic());
        builder.detail("records_acknowledged", view.get("records_acknowledged"));
        builder.detail("errors", view.get("errors"));
        if (kafka.check()) {
            builder.message("Kafka " + kafka.bootstrapServers() + " is reachable").up();
        } else {
            builder.message("Kafka " + kafka.bootstrapServers() + " is not reachable: " + kafka.lastError()
                    + "; batches go to the fallback path").down();
        }
    }
}
