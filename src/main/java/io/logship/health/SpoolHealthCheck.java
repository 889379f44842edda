package io.logship.health;

import java.util.Map;

import io.logship.fallback.Spool;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code spool}: a readiness check. A full spool is the one state in which logship refuses uploads (503),
 * so that is when a load balancer should send them elsewhere. Not a liveness check: a restart empties
 * nothing, the spool is on disk.
 */
public class SpoolHealthCheck extends AbstractHealthCheck {

    private final Spool spool;

    public SpoolHealthCheck(Spool spool) {
        super("logship", "spool");
        this.spool = spool;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        spool.view().forEach(builder::detail);
        if (spool.isFull()) {
            builder.message("the spool is full (" + spool.bytes() + " of " + spool.maxBytes()
                    + " bytes): uploads are refused with 503 until Logstash or Elasticsearch takes the spooled batches").down();
        } else {
            builder.message(spool.batches() + " batches spooled (" + spool.bytes() + " of " + spool.maxBytes() + " bytes)").up();
        }
    }
}
