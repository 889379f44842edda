package io.logship.fallback;

import io.logship.kafka.KafkaSink;
import io.logship.monitor.ForwarderStatistics;
import io.logship.ship.LogstashConnection;
import org.apache.camel.Exchange;

/**
 * Decides when the spool is drained: on every tick, oldest batch first, while a sink takes them.
 * Logstash is a replay target only over TCP, where a refused connection is visible; over UDP nothing
 * confirms delivery, so spooled batches wait for Elasticsearch. With Kafka configured, Kafka is the first target.
 */
public class SpoolReplay {

    private final Spool spool;
    private final LogstashConnection logstash;
    private final ElasticsearchBulk elasticsearch;
    private final ForwarderStatistics statistics;
    private final KafkaSink kafka;
    private volatile boolean failedThisTick;

    public SpoolReplay(Spool spool, LogstashConnection logstash, ElasticsearchBulk elasticsearch,
                       ForwarderStatistics statistics, KafkaSink kafka) {
        this.spool = spool;
        this.logstash = logstash;
        this.elasticsearch = elasticsearch;
        this.statistics = statistics;
        this.kafka = kafka;
    }

    public void tick() {
        failedThisTick = false;
    }

    public boolean ready() {
        return !failedThisTick && !spool.isEmpty() && (kafka.up() || logstashUp() || elasticsearch.enabled());
    }

    public boolean logstashUp() {
        return logstash.enabled() && "tcp".equals(logstash.protocol()) && logstash.check();
    }

    public void failed(Exchange exchange) {
        failedThisTick = true;
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        statistics.error("spool replay: " + (cause == null ? "no sink available" : cause.getMessage()));
    }
}
