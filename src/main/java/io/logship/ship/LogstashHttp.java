package io.logship.ship;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;

import io.logship.event.EventBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One batch as one POST to Logstash's {@code http} input, and what its answer means. The body is a JSON array of
 * the batch's documents ({@code application/json}, which the http input decodes with its {@code json} codec into
 * one event per element). The http input answers 200 only once the events are in its queue, so a 2xx is an
 * acknowledgement; 429 (queue full) and 5xx are worth another try, after {@code Retry-After} when given; any other
 * 4xx would be refused again, so the batch takes the fallback path at once with the reason.
 */
public class LogstashHttp {

    /** The redelivery policy's longest wait, also the cap on a server's Retry-After. */
    static final long MAX_DELAY_MILLIS = 300_000;
    private static final int MAX_REASON_CHARS = 500;

    /** The variable that takes Logstash's answer (variableReceive in ship.camel.yaml). */
    public static final String ANSWER = "logstashAnswer";

    private static final String REDELIVERY_STATE = "CamelRedeliver*";

    private final String authorization;

    /** @param user empty: no Authorization header */
    public LogstashHttp(String user, String password) {
        this.authorization = user == null || user.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /** The request body camel-http sends for a batch (registered as a type converter). */
    public static InputStream body(EventBatch batch) {
        return new ByteArrayInputStream(jsonArray(batch));
    }

    /** The batch's json_lines as a JSON array: each line break but the last becomes a comma. */
    public static byte[] jsonArray(EventBatch batch) {
        byte[] body = new byte[batch.size() + 1];
        body[0] = '[';
        System.arraycopy(batch.data(), 0, body, 1, batch.size());
        for (int i = 0; i < batch.count() - 1; i++) {
            body[batch.ends()[i]] = ',';
        }
        body[body.length - 1] = ']';
        return body;
    }

    /**
     * The request's headers; the batch stays the body (a type converter makes it the JSON array as it is sent), so
     * a redelivery and the fallback path get it as it was. No header of the exchange goes out by accident.
     */
    public void request(Exchange exchange) {
        Message message = exchange.getMessage();
        // Camel's redelivery counts its attempts in CamelRedelivery* headers: those stay (a stale delay does not)
        message.removeHeaders("*", REDELIVERY_STATE);
        message.removeHeader(Exchange.REDELIVERY_DELAY);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (authorization != null) {
            message.setHeader("Authorization", authorization);
        }
    }

    /**
     * What Logstash's answer (in the variable {@code logstashAnswer}, with its headers) means for the batch: nothing
     * to do on a 2xx; otherwise an exception that the sink-delivery policy redelivers (busy) or sends to the
     * fallback path at once (refused).
     */
    public void response(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*", REDELIVERY_STATE);
        int status = answerHeader(exchange, Exchange.HTTP_RESPONSE_CODE, Integer.class, 0);
        String answer = exchange.getVariable(ANSWER, String.class);
        String retryAfter = answerHeader(exchange, "Retry-After", String.class, null);
        for (String name : java.util.List.copyOf(exchange.getVariables().keySet())) {
            if (name.equals(ANSWER) || name.startsWith("header:" + ANSWER + ".")) {
                exchange.removeVariable(name);
            }
        }
        if (status >= 200 && status < 300) {
            return;
        }
        String description = "Logstash answered HTTP " + status + (reason(answer) == null ? "" : ": " + reason(answer));
        if (status == 429 || status >= 500) {
            Long delay = retryAfterMillis(retryAfter, Instant.now());
            // the delay becomes the next redelivery's in place of the backoff (LogstashBusyException.RETRY_AFTER)
            throw new LogstashBusyException(description + (delay == null ? "" : " (Retry-After " + retryAfter + ")"), delay);
        }
        throw new LogstashRefusedException(status, description);
    }

    /** A header of the answer: kept as the variable {@code header:logstashAnswer.<name>}, names in any case. */
    private static <T> T answerHeader(Exchange exchange, String name, Class<T> type, T otherwise) {
        String key = "header:" + ANSWER + "." + name;
        for (Map.Entry<String, Object> variable : exchange.getVariables().entrySet()) {
            if (variable.getKey().equalsIgnoreCase(key) && variable.getValue() != null) {
                return exchange.getContext().getTypeConverter().convertTo(type, exchange, variable.getValue());
            }
        }
        return otherwise;
    }

    /** Retry-After in seconds or as an HTTP date, as milliseconds from {@code now}; null when absent or unreadable. */
    static Long retryAfterMillis(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim()) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                millis = Duration.between(now, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
        return Math.min(Math.max(millis, 0), MAX_DELAY_MILLIS);
    }

    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() > MAX_REASON_CHARS ? oneLine.substring(0, MAX_REASON_CHARS) + "..." : oneLine;
    }
}
