package io.logship.health;

import java.util.Map;

import io.logship.ship.LogstashConnection;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code logstash}: can Logstash be reached right now (a real TCP connect; for UDP, the host resolves).
 * DOWN on {@code /observe/health} when it cannot. Part of readiness only with {@code HEALTH_READINESS_SINKS=true}:
 * while Logstash is down logship still accepts uploads and sends them to Elasticsearch or the spool, so
 * taking the instance out of a load balancer would refuse uploads it could keep safely.
 */
public class LogstashHealthCheck extends AbstractHealthCheck {

    private final LogstashConnection logstash;
    private final boolean readiness;

    public LogstashHealthCheck(LogstashConnection logstash, boolean readiness) {
        super("logship", "logstash");
        this.logstash = logstash;
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
        builder.detail("host", logstash.host());
        builder.detail("port", logstash.port());
        builder.detail("protocol", logstash.protocol());
        if (!logstash.enabled()) {
            builder.message("USE_LOGSTASH=false: events go straight to Elasticsearch").up();
            return;
        }
        if (logstash.check()) {
            builder.message("udp".equals(logstash.protocol())
                    ? "Logstash host " + logstash.host() + " resolves (udp: delivery itself is never confirmed)"
                    : "Logstash " + logstash.host() + ":" + logstash.port() + " (tcp) is reachable").up();
        } else {
            builder.message("Logstash " + logstash.host() + ":" + logstash.port() + " (" + logstash.protocol()
                    + ") is not reachable: " + logstash.lastError() + "; batches go to the fallback path").down();
        }
    }
}
