package io.logship.kafka;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code kafka}: does the Kafka cluster answer (its brokers are listed), with what the sink has acknowledged.
 * Part of readiness only with {@code HEALTH_READINESS_SINKS=true}: while Kafka is down logship still accepts
 * uploads and keeps them in Elasticsearch or the spool.
 */
public class KafkaHealthCheck extends AbstractHealthCheck {

    private final KafkaSink kafka;
    private final boolean readiness;

    public KafkaHealthCheck(KafkaSink kafka, boolean readiness) {
        super("logship", "kafka");
        this.kafka = kafka;
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
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
