package io.logship.ship;

/** Logstash could not take a batch now (HTTP 429 or 5xx): it is redelivered, after Retry-After when Logstash gave one. */
public class LogstashBusyException extends RuntimeException {

    public LogstashBusyException(String message) {
        super(message);
    }
}
