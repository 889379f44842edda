package io.logship.ship;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.event.EventBatch;
import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The POST body Logstash's http input decodes, and how long a Retry-After asks logship to wait. */
class LogstashHttpBodyTest {

    @Test
    void aBatchIsOneJsonArrayOfItsDocuments() throws Exception {
        byte[] lines = utf8("{\"a\":1}\n{\"b\":\"x\\ny\"}\n{\"c\":[1,2]}\n");
        EventBatch batch = new EventBatch("u", "t", lines, lines.length, new int[] {8, 21, 34}, new long[] {1, 2, 3}, 3, 0, 0);
        JsonNode array = LogshipApp.JSON.readTree(LogstashHttp.jsonArray(batch));
        assertEquals(3, array.size());
        assertEquals(1, array.get(0).get("a").asInt());
        assertEquals("x\ny", array.get(1).get("b").asText());
        assertEquals(2, array.get(2).get("c").get(1).asInt());
    }

    @Test
    void aBatchSlicedFromALargerBufferSendsOnlyItsOwnBytes() throws Exception {
        byte[] buffer = utf8("{\"a\":1}\n{\"b\":2}\nleftover from an earlier batch");
        EventBatch batch = new EventBatch("u", "t", buffer, 16, new int[] {8, 16}, new long[] {1, 2}, 2, 0, 0);
        assertEquals("[{\"a\":1},{\"b\":2}]", new String(LogstashHttp.jsonArray(batch), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsCapped() {
        Instant now = Instant.parse("2026-12-02T06:00:00Z");
        assertEquals(7000L, LogstashHttp.retryAfterMillis("7", now));
        assertEquals(30_000L, LogstashHttp.retryAfterMillis("Wed, 02 Dec 2026 06:00:30 GMT", now));
        assertEquals(0L, LogstashHttp.retryAfterMillis("Wed, 02 Dec 2026 05:59:00 GMT", now), "a date in the past: at once");
        assertEquals(300_000L, LogstashHttp.retryAfterMillis("86400", now), "never longer than the longest backoff");
        assertNull(LogstashHttp.retryAfterMillis("soon", now));
        assertNull(LogstashHttp.retryAfterMillis(null, now));
    }
}
