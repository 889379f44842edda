package io.logship.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/metrics: logship's meters count what really arrived, failed and waited, and never reset. */
class MetricsTest {

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcpOnReservablePort();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "logstash.batch.size", "3",
                "max.event.bytes", "100", "logstash.max.retries", "1", "spool.replay.interval", "0.2");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    void countsWhatArrivedFailedAndWaited() throws Exception {
        String token = app.token("acme");
        StringBuilder upload = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            upload.append("{\"n\":").append(i).append("}\n");
        }
        upload.append("x".repeat(150)).append('\n');
        byte[] body = upload.toString().getBytes(StandardCharsets.UTF_8);

        JsonNode result = app.uploadAndWait(token, "application/x-ndjson", body, null);
        assertEquals(7, result.get("sent_logstash").asInt());
        assertEquals(7, logstash.awaitEvents(7, Duration.ofSeconds(10)).size());

        awaitMetric("logship_logstash_up", 1);
        Scrape scrape = Scrape.of(app);
        assertEquals(7, scrape.value("logship_events_sent_total", "sink", "logstash", "protocol", "tcp"));
        assertEquals(0, scrape.value("logship_events_sent_total", "sink", "elasticsearch", "protocol", "bulk"));
        assertEquals(8, scrape.value("logship_events_received_total"));
        assertEquals(1, scrape.value("logship_events_rejected_total", "reason", "oversized_line"));
        assertEquals(body.length, scrape.value("logship_upload_bytes_total"));
        assertEquals(3, scrape.value("logship_batches_total", "sink", "logstash"), "7 events in batches of 3");
        assertEquals(3, scrape.value("logship_batch_size_events_count", "sink", "logstash"));
        assertEquals(7, scrape.value("logship_batch_size_events_sum", "sink", "logstash"));
        assertEquals(3, scrape.value("logship_batch_size_events_max", "sink", "logstash"));
        // over TCP the upload batch (7 events here) is one delivery through the route, written in 3 wire batches
        assertEquals(1, scrape.value("camel_exchanges_total", "routeId", "logstash"), "route metrics");
        assertTrue(scrape.has("jvm_memory_used_bytes"), "JVM metrics");

        // the monitor's statistics reset; Prometheus counters do not
        assertEquals(200, app.send("DELETE", "/api/v1/logs/logstash/monitor/", app.token("ops", "admin")).statusCode());
        JsonNode monitor = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")));
        assertEquals(0, monitor.at("/statistics/total_sent").asInt());
        assertEquals(7, Scrape.of(app).value("logship_events_sent_total", "sink", "logstash"));

        // Logstash goes away: one redelivery, then the batch fails over to the spool (no Elasticsearch here)
        int port = logstash.port();
        logstash.close();
        result = app.uploadAndWait(token, "application/x-ndjson", "{\"n\":8}\n{\"n\":9}\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(2, result.get("spooled").asInt(), result.toString());
        scrape = Scrape.of(app);
        assertEquals(2, scrape.value("logship_events_failed_total", "sink", "logstash"));
        assertEquals(1, scrape.value("logship_redeliveries_total", "sink", "logstash"));
        assertEquals(2, scrape.value("logship_events_spooled_total"));
        assertEquals(1, scrape.value("logship_spool_batches"));
        assertTrue(scrape.value("logship_spool_bytes") > 0);
        assertEquals(7, scrape.value("logship_events_sent_total", "sink", "logstash"));

        // back on the same port: the spool is replayed to it
        logstash = LogstashListener.tcp(port);
        assertEquals(2, logstash.awaitEvents(2, Duration.ofSeconds(20)).size());
        awaitMetric("logship_spool_batches", 0);
        scrape = Scrape.of(app);
        assertEquals(9, scrape.value("logship_events_sent_total", "sink", "logstash"));
        assertEquals(0, scrape.value("logship_spool_bytes"));
        assertEquals(0, scrape.value("logship_spool_oldest_age_seconds"));
        assertEquals(1, scrape.value("logship_logstash_up"));
    }

    /** Gauges follow checks that run on their own schedule (the logstash-probe and spool-replay timers). */
    private static void awaitMetric(String name, double value) throws InterruptedException {
        LogshipApp.await(Duration.ofSeconds(10), () -> {
            try {
                return Scrape.of(app).value(name) == value;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
