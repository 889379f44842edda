package io.logship.ship;

import java.time.Duration;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logstash is down: the first batch pays one redelivery cycle, the circuit opens, and the other 99 go straight to
 * the fallback path. When Logstash is back, the periodic check half-opens the circuit, one batch probes, and the
 * spool drains to Logstash.
 */
class CircuitBreakerTest {

    static final int RETRIES = 3;
    static final double DELAY_SECONDS = 0.2;

    @Test
    void hundredBatchesWhileLogstashIsDownCostOneRedeliveryCycleNotHundred() throws Exception {
        int port = LogstashListener.downPort();
        try (LogshipApp app = LogshipApp.start("logstash.host", "127.0.0.1", "logstash.port", String.valueOf(port),
                "logstash.batch.size", "10", "logstash.max.retries", String.valueOf(RETRIES),
                "logstash.retry.delay", String.valueOf(DELAY_SECONDS), "logstash.circuit.failures", "4",
                "logstash.check.interval", "1", "spool.replay.interval", "0.5")) {
            StringBuilder body = new StringBuilder();
            IntStream.rangeClosed(1, 1000).forEach(i -> body.append("line ").append(i).append('\n'));

            long started = System.nanoTime();
            JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", Events.utf8(body.toString()), null);
            double seconds = (System.nanoTime() - started) / 1e9;

            assertEquals(1000, result.get("spooled").asInt(), result.toString());
            assertEquals(0, result.get("sent_logstash").asInt(), result.toString());
            // one cycle: 0.2 + 0.4 + 0.8 = 1.4 s; a cycle per batch would be 100 x 1.4 = 140 s
            double cycle = DELAY_SECONDS * ((1 << RETRIES) - 1);
            assertTrue(seconds >= cycle, "took " + seconds + " s, less than one redelivery cycle");
            assertTrue(seconds < 30, "took " + seconds + " s: more than a few cycles (one is " + cycle + " s)");
            double redeliveries = Scrape.of(app).value("logship_redeliveries_total", "sink", "logstash");
            assertTrue(redeliveries >= RETRIES && redeliveries <= 2 * RETRIES,
                    redeliveries + " redeliveries; one cycle is " + RETRIES + ", one per batch would be " + 100 * RETRIES);

            JsonNode host = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                    .get("health").get("hosts").get(0);
            assertEquals("open", host.get("circuit").asText(), host.toString());
            assertEquals(100, LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                    .get("statistics").get("batches_failed").asInt());

            // back: the check finds it reachable, the circuit half-opens, the replay's first batch probes, all drain
            try (LogstashListener logstash = LogstashListener.tcp(port)) {
                Events.ofUpload(logstash, result.get("upload_id").asText(), 1000);
                LogshipApp.await(Duration.ofSeconds(20), () -> {
                    try {
                        return "closed".equals(LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/",
                                app.token("ops", "admin"))).get("health").get("hosts").get(0).get("circuit").asText());
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
    }
}
