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
                message.setHeader("Retry-After", "30");
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
