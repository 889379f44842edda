package io.logship.ship;

/**
 * Logstash refused a batch with a 4xx other than 429 (bad request, unauthorized, too large): sending it again would
 * be refused again, so the sink-delivery policy sends it to the fallback path without redelivery.
 */
public class LogstashRefusedException extends RuntimeException {

    private final int status;

    public LogstashRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
