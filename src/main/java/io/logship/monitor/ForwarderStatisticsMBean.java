package io.logship.monitor;

/**
 * {@link ForwarderStatistics} over JMX as {@code io.logship:type=ForwarderStatistics}: the numbers of the
 * monitor API's {@code statistics} (jconsole, Hawtio through Jolokia), and its reset.
 */
public interface ForwarderStatisticsMBean {

    /** Events Logstash took: {@link #getTotalAcknowledged()} + {@link #getTotalWritten()}. */
    long getTotalSent();

    /** Events Logstash's http input acknowledged (a 2xx: they are in its queue). */
    long getTotalAcknowledged();

    /** Events only written to a tcp or udp socket: nothing confirms that Logstash got them. */
    long getTotalWritten();

    /** {@code acknowledged} (LOGSTASH_PROTOCOL=http) or {@code written} (tcp, udp). */
    String getDelivery();

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
