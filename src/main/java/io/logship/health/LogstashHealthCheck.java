package io.logship.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.logship.ship.LogstashConnection;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code logstash}: can Logstash be reached right now (a real TCP connect to each host of {@code LOGSTASH_HOSTS};
 * for UDP, the host resolves) and is one of them not skipped by its circuit breaker. Each host is a detail.
 * DOWN on {@code /observe/health} when it cannot; readiness as for every {@link SinkHealthCheck}.
 */
public class LogstashHealthCheck extends SinkHealthCheck {

    private final LogstashConnection logstash;

    public LogstashHealthCheck(LogstashConnection logstash, boolean readiness) {
        super("logstash", readiness);
        this.logstash = logstash;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("host", logstash.host());
        builder.detail("port", logstash.port());
        builder.detail("protocol", logstash.protocol());
        builder.detail("load_balance", logstash.loadBalance());
        if (!logstash.enabled()) {
            builder.message("USE_LOGSTASH=false: events go straight to Elasticsearch").up();
            return;
        }
        boolean up = logstash.check();
        // each host as "host:port": its state, so an operator sees which one of LOGSTASH_HOSTS is the problem
        List<String> hosts = new ArrayList<>();
        for (LogstashConnection.Host host : logstash.hosts()) {
            String state = host.state();
            builder.detail("host." + host.address(), state);
            hosts.add(host.address() + " " + state);
        }
        builder.detail("hosts", String.join(", ", hosts));
        String where = logstash.addresses() + " (" + logstash.protocol() + ")";
        if (up) {
            builder.message("udp".equals(logstash.protocol())
                    ? "Logstash host " + where + " resolves (udp: delivery itself is never confirmed)"
                    : "Logstash " + where + " is reachable").up();
        } else {
            builder.message("Logstash " + where + " is not reachable: " + logstash.lastError()
                    + "; batches go to the fallback path").down();
        }
    }
}
