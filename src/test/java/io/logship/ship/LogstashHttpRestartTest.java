package io.logship.ship;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stand-in Logstash http input runs as a process of its own and is killed with kill -9 at about 30 % of a
 * 100,000-event upload, then started again on the same port 2 s later. At-least-once: every event arrives, the only
 * duplicates are of the one batch that was in flight at the kill, and the upload says every event was acknowledged.
 */
class LogstashHttpRestartTest {

    static final int EVENTS = 100_000;
    static final int BATCH = 500;

    @Test
    void everyEventArrivesAtLeastOnceAcrossAKillAndRestart() throws Exception {
        int port = reservablePort();
        Path file = Files.createTempFile("logstash-http-restart-", ".ndjson");
        Process logstash = LogstashHttpInput.launch(port, file);
        // 0.2, 0.4, ... 6.4 s: the redeliveries span the restart with room to spare on a loaded machine; the circuit
        // breaker would send the outage's batches to the spool at once (CircuitBreakerTest): here it stays closed
        try (LogshipApp app = LogshipApp.start(Map.of("logstash.protocol", "http", "logstash.port", String.valueOf(port),
                "logstash.max.retries", "12", "logstash.retry.delay", "0.2", "logstash.timeout", "5",
                "logstash.batch.size", String.valueOf(BATCH), "spool.replay.interval", "3600",
                "logstash.circuit.failures", "1000"))) {
            HttpResponse<String> accepted = app.upload(app.token("acme"), "application/x-ndjson",
                    LogstashHttpTest.events(EVENTS, "restart"), "source=restart");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String uploadId = LogshipApp.json(accepted).get("upload_id").asText();

            LogshipApp.await(Duration.ofMinutes(3), () -> lines(file) >= EVENTS * 3 / 10);
            logstash.destroyForcibly();     // SIGKILL: no shutdown hook, no last flush
            assertTrue(logstash.waitFor(30, TimeUnit.SECONDS));
            long atKill = lines(file);
            assertTrue(atKill < EVENTS * 9 / 10, "the kill came too late to be mid-upload: " + atKill);
            Thread.sleep(2000);
            logstash = LogstashHttpInput.launch(port, file);

            LogshipApp.await(Duration.ofMinutes(5), () -> "completed".equals(status(app, uploadId).path("status").asText()));
            JsonNode status = status(app, uploadId);
            assertEquals(EVENTS, status.get("received").asInt(), status.toString());
            assertEquals(EVENTS, status.get("acknowledged_logstash").asInt(), status.toString());
            assertEquals(0, status.get("written_logstash").asInt());
            assertEquals(0, status.get("spooled").asInt(), "Logstash was back before the redeliveries ran out");

            AtomicInteger torn = new AtomicInteger();
            Map<String, Integer> arrivals = new HashMap<>();
            for (JsonNode event : LogstashHttpInput.recorded(file, torn)) {
                if (uploadId.equals(event.path("upload_id").asText())) {
                    arrivals.merge(event.get("event_id").asText(), 1, Integer::sum);
                }
            }
            assertTrue(torn.get() <= 1, "only the write cut by the kill can be torn: " + torn);
            Set<Long> batchesWithDuplicates = new TreeSet<>();
            for (int line = 1; line <= EVENTS; line++) {
                Integer times = arrivals.get(uploadId + "-" + line);
                assertNotNull(times, "line " + line + " never arrived");
                if (times > 1) {
                    batchesWithDuplicates.add((long) (line - 1) / BATCH);
                }
            }
            // only the batch in flight at the kill may have been taken without its 200 reaching logship
            assertTrue(batchesWithDuplicates.size() <= 1, "duplicates in batches " + batchesWithDuplicates);
            assertTrue(arrivals.values().stream().allMatch(n -> n <= 2), "no event arrived three times");

            JsonNode statistics = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                    .get("statistics");
            assertTrue(statistics.get("redeliveries").asInt() >= 1, statistics.toString());
            assertEquals(0, statistics.get("total_failed").asInt(), statistics.toString());
        } finally {
            logstash.destroyForcibly();
            logstash.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(file);
        }
    }

    private static long lines(Path file) {
        try {
            return LogstashHttpInput.lines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode status(LogshipApp app, String uploadId) {
        try {
            return LogshipApp.json(app.get("/api/v1/logs/uploads/" + uploadId, app.token("acme")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A port below the kernel's ephemeral range, free now: while the stand-in is down, no connection's own source
     * port takes it by chance (see LogstashListener.tcpOnReservablePort).
     */
    private static int reservablePort() throws java.io.IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20000 + random.nextInt(10000);
            try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
                return port;
            } catch (java.io.IOException taken) {
                // next
            }
        }
        throw new java.io.IOException("no free port in 20000-29999");
    }
}
