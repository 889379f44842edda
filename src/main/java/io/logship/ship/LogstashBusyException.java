package io.logship.ship;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Logstash could not take a batch now (HTTP 429 or 5xx): it is redelivered, after Retry-After when Logstash gave one. */
public class LogstashBusyException extends RuntimeException {

    /** Logstash's Retry-After in milliseconds, or null. */
    private final Long retryAfterMillis;

    public LogstashBusyException(String message, Long retryAfterMillis) {
        super(message);
        this.retryAfterMillis = retryAfterMillis;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }

    /**
     * The error handler's onExceptionOccurred: makes Logstash's Retry-After the next redelivery delay. It travels in
     * the exception because the circuit breaker runs a host's attempt on a copy of the exchange, whose headers stay there.
     */
    public static final Processor RETRY_AFTER = exchange -> {
        LogstashBusyException busy = exchange.getException(LogstashBusyException.class);
        if (busy != null && busy.retryAfterMillis != null) {
            // Camel reads the next delay from the in message
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, busy.retryAfterMillis);
        }
    };
}
