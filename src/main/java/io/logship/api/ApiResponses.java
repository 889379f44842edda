package io.logship.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON answers and errors on the HTTP routes. */
public class ApiResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String retryAfterSeconds;

    /** @param retryAfterSeconds HTTP_RETRY_AFTER: what a 503 tells the client to wait */
    public ApiResponses(long retryAfterSeconds) {
        this.retryAfterSeconds = String.valueOf(retryAfterSeconds);
    }

    /** {@code {"error", "detail"}} as bytes, for answers written outside a route (the HTTP server's own refusals). */
    public static byte[] errorBody(String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String retryAfter() {
        return retryAfterSeconds;
    }

    public static void json(Message message, int status, Object body) {
        try {
            message.setBody(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** onException handler: a known refusal keeps its status; anything else is a 500 without internals. */
    public void error(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        message.removeHeaders("*", "CamelHttp*");
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (cause instanceof ApiError api) {
            status = api.status();
            body.put("error", api.error());
            body.put("detail", api.detail());
            if (status == 503) {
                message.setHeader("Retry-After", retryAfterSeconds);
            }
        } else {
            status = 500;
            body.put("error", "internal_error");
            body.put("detail", "the request could not be processed; see the logship log, exchange " + exchange.getExchangeId());
            LOG.error("Unexpected failure on {}", exchange.getExchangeId(), cause);
        }
        json(message, status, body);
    }
}
