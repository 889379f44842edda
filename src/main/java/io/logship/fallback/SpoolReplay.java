package io.logship.fallback;

import io.logship.monitor.ForwarderStatistics;
import io.logship.ship.LogstashConnection;
import org.apache.camel.Exchange;

/**
 * Decides when the spool is drained: on every tick, oldest batch first, while a sink takes them.
 * Logstash is a replay target over http, which acknowledges each batch (a spool file is deleted only after a 2xx),
 * and over TCP, where at least a refused connection is visible; over UDP nothing confirms delivery, so spooled
 * batches wait for Elasticsearch.
 */
public class SpoolReplay {

    private final Spool spool;
    private final LogstashConnection logstash;
    private final ElasticsearchBulk elasticsearch;
    private final ForwarderStatistics statistics;
    private volatile boolean failedThisTick;

    public SpoolReplay(Spool spool, LogstashConnection logstash, ElasticsearchBulk elasticsearch,
                       ForwarderStatistics statistics) {
        this.spool = spool;
        this.logstash = logstash;
        this.elasticsearch = elasticsearch;
        this.statistics = statistics;
    }

    public void tick() {
        failedThisTick = false;
    }

    public boolean ready() {
        return !failedThisTick && !spool.isEmpty() && (logstashUp() || elasticsearch.enabled());
    }

    public boolean logstashUp() {
        return logstash.enabled() && !"udp".equals(logstash.protocol()) && logstash.check();
    }

    public void failed(Exchange exchange) {
        failedThisTick = true;
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        statistics.error("spool replay: " + (cause == null ? "no sink available" : cause.getMessage()));
    }
}
