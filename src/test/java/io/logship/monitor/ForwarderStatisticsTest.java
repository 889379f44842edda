package io.logship.monitor;

import java.util.Map;

import io.logship.event.EventBatch;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ForwarderStatisticsTest {

    @ParameterizedTest(name = "{0} sent, {1} failed -> {2}")
    @CsvSource({
            "0, 0, 1.0",        // nothing attempted yet: nothing failed
            "1, 0, 1.0",
            "0, 5, 0.0",
            "2, 1, 0.6667",     // 0.66666.. rounded half up at 4 places
            "1, 2, 0.3333",
            "1, 5, 0.1667",
            "5, 3, 0.625",
            "1, 7, 0.125",
            "2, 3, 0.4",
            "99999, 1, 1.0",    // 0.99999 rounds to 1.0 at 4 places
            "9999, 1, 0.9999",
            "1, 19999, 0.0001",
            "1, 20001, 0.0"})
    void successRateIsSentOverAttemptedAtFourPlaces(long sent, long failed, double rate) {
        assertEquals(rate, ForwarderStatistics.successRate(sent, failed), 0.0);
    }

    @Test
    void countsAreInEventsAndBatches() {
        ForwarderStatistics statistics = new ForwarderStatistics();
        statistics.sent(batch(3));
        statistics.sent(batch(2));
        Exchange failure = new DefaultExchange(new DefaultCamelContext());
        failure.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException("outer", new java.net.ConnectException("Connection refused")));
        statistics.failed(batch(4), failure);
        statistics.redelivered();
        statistics.redelivered();

        Map<String, Object> view = statistics.view();
        assertEquals(5L, view.get("total_sent"));
        assertEquals(4L, view.get("total_failed"));
        assertEquals(2L, view.get("batches_sent"));
        assertEquals(1L, view.get("batches_failed"));
        assertEquals(2L, view.get("redeliveries"));
        assertEquals(0.5556, view.get("success_rate"));
        assertEquals("RuntimeException: Connection refused", view.get("last_error"));
        assertNotNull(view.get("last_error_at"));
        assertNotNull(view.get("last_sent_at"));
    }

    @Test
    void resetStartsEverythingAgain() {
        ForwarderStatistics statistics = new ForwarderStatistics();
        statistics.sent(batch(3));
        statistics.failed(batch(1), new DefaultExchange(new DefaultCamelContext()));
        statistics.redelivered();
        statistics.reset();
        Map<String, Object> view = statistics.view();
        for (String counter : new String[] {"total_sent", "total_failed", "batches_sent", "batches_failed",
                "sent_elasticsearch", "spooled", "rejected", "redeliveries"}) {
            assertEquals(0L, view.get(counter), counter);
        }
        assertEquals(1.0, view.get("success_rate"));
        assertNull(view.get("last_error"));
        assertNull(view.get("last_sent_at"));
    }

    private static EventBatch batch(int count) {
        byte[] data = "{}\n".repeat(count).getBytes();
        int[] ends = new int[count];
        for (int i = 0; i < count; i++) {
            ends[i] = 3 * (i + 1);
        }
        return new EventBatch("u", "t", data, data.length, ends, new long[count], count, 0, 0);
    }
}
