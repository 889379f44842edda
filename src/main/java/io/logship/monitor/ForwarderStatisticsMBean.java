package io.logship.monitor;

/**
 * {@link ForwarderStatistics} over JMX as {@code io.logship:type=ForwarderStatistics}: the numbers of the
 * monitor API's {@code statistics} (jconsole, Hawtio through Jolokia), and its reset.
 */
public interface ForwarderStatisticsMBean {

    long getTotalSent();

    long getTotalFailed();

    double getSuccessRate();

    long getBatchesSent();

    long getBatchesFailed();

    long getSentElasticsearch();

    long getFailedElasticsearch();

    long getSpooled();

    long getRejected();

    long getRedeliveries();

    String getLastError();

    String getLastErrorAt();

    String getLastSentAt();

    /** Batches and events written to each Logstash host: {@code {"host:port": {"batches_sent", "events_sent"}}}. */
    java.util.Map<String, java.util.Map<String, Long>> getHosts();

    String getSince();

    /** Same as {@code DELETE /api/v1/logs/logstash/monitor/}; Prometheus counters are not affected. */
    void reset();
}
