package io.logship.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A sink's check (Logstash, Elasticsearch, Kafka): never liveness, since a sink that is down does not make logship
 * dead; readiness only with {@code HEALTH_READINESS_SINKS=true}, since while a sink is down logship still accepts
 * uploads and keeps them safe on another path or in the spool, and taking the instance out of a load balancer
 * would refuse uploads it could keep.
 */
public abstract class SinkHealthCheck extends AbstractHealthCheck {

    private final boolean readiness;

    protected SinkHealthCheck(String sink, boolean readiness) {
        super("logship", sink);
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
}
