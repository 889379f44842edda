package io.logship.ship;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.LogstashProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOGSTASH_HOSTS with LOGSTASH_LOADBALANCE: round robin over two listeners; failover across dead and killed hosts. */
class LogstashHostsTest {

    static JsonNode monitor(LogshipApp app) throws Exception {
        HttpResponse<String> response = app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"));
        assertEquals(200, response.statusCode(), response.body());
        return LogshipApp.json(response);
    }

    @Test
    void roundRobinSpreadsBatchesOverBothHostsAndTheMonitorShowsEach() throws Exception {
        try (LogstashListener first = LogstashListener.tcp(); LogstashListener second = LogstashListener.tcp();
             LogshipApp app = LogshipApp.start("logstash.hosts", "127.0.0.1:" + first.port() + ",127.0.0.1:" + second.port(),
                     "logstash.loadbalance", "round_robin")) {
            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", StuckPeerTest.ndjson(2_000), null);
            String uploadId = result.get("upload_id").asText();
            assertEquals(2_000, result.get("sent_logstash").asInt(), result.toString());
            LogshipApp.await(Duration.ofSeconds(30),
                    () -> Events.matching(first, uploadId).size() + Events.matching(second, uploadId).size() >= 2_000);
            int atFirst = Events.matching(first, uploadId).size();
            int atSecond = Events.matching(second, uploadId).size();
            // 20 batches of 100, taken in turn
            assertEquals(1_000, atFirst, "first host");
            assertEquals(1_000, atSecond, "second host");
            Set<String> ids = new HashSet<>();
            Events.matching(first, uploadId).forEach(e -> ids.add(e.get("event_id").asText()));
            Events.matching(second, uploadId).forEach(e -> ids.add(e.get("event_id").asText()));
            assertEquals(2_000, ids.size(), "each event at one host");

            JsonNode report = monitor(app);
            JsonNode hosts = report.get("health").get("hosts");
            assertEquals(2, hosts.size(), hosts.toString());
            assertEquals("127.0.0.1:" + first.port(), hosts.get(0).get("address").asText());
            assertEquals("127.0.0.1:" + second.port(), hosts.get(1).get("address").asText());
            hosts.forEach(h -> assertEquals("healthy", h.get("status").asText(), h.toString()));
            assertEquals("round_robin", report.get("health").get("load_balance").asText());
            JsonNode perHost = report.get("statistics").get("hosts");
            assertEquals(10, perHost.get("127.0.0.1:" + first.port()).get("batches_sent").asInt(), perHost.toString());
            assertEquals(10, perHost.get("127.0.0.1:" + second.port()).get("batches_sent").asInt(), perHost.toString());

            io.logship.testing.Scrape scrape = io.logship.testing.Scrape.of(app);
            assertEquals(1, scrape.value("logship_logstash_host_up", "host", "127.0.0.1:" + first.port()));
            assertEquals(1, scrape.value("logship_logstash_host_up", "host", "127.0.0.1:" + second.port()));

            String health = app.get("/observe/health", null).body();
            assertTrue(health.contains("127.0.0.1:" + first.port()) && health.contains("127.0.0.1:" + second.port()), health);
        }
    }

    /**
     * The first host is dead at the start and is skipped; the second, a listener in its own JVM, is killed with
     * kill -9 in the middle of a 30,000-event upload; the first is brought back and takes the rest. Every event
     * arrives at one of them or is in the spool, except what TCP cannot tell about: the bytes the killed process
     * held unread in its socket buffers, and those written after it died and before the kernel said so (one batch).
     * Those are bounded here; only LOGSTASH_PROTOCOL=http, which acknowledges, closes that gap.
     */
    @Test
    void firstDeadSecondKilledMidUploadFirstBackEverythingArrivesOrIsSpooled() throws Exception {
        LogstashListener reserve1 = LogstashListener.tcpOnReservablePort();
        LogstashListener reserve2 = LogstashListener.tcpOnReservablePort();
        int port1 = reserve1.port();
        int port2 = reserve2.port();
        reserve1.close();
        reserve2.close();
        LogstashListener first = null;
        // the second stops reading after 2 MB (about 4,400 of the 30,000 events): however fast logship is, the kill lands mid-upload
        try (LogstashProcess second = LogstashProcess.start(port2, 2_000_000);
             LogshipApp app = LogshipApp.start("logstash.hosts", "127.0.0.1:" + port1 + ",127.0.0.1:" + port2,
                     "logstash.max.retries", "3", "logstash.retry.delay", "0.2", "logstash.check.interval", "1")) {
            String token = app.token("acme");
            int total = 30_000;
            HttpResponse<String> accepted = app.upload(token, "application/x-ndjson", StuckPeerTest.ndjson(total), null);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String uploadId = LogshipApp.json(accepted).get("upload_id").asText();

            LogshipApp.await(Duration.ofSeconds(60), () -> {
                try {
                    return second.eventCount() >= 3_000;
                } catch (Exception e) {
                    return false;
                }
            });
            second.kill();
            first = LogstashListener.tcp(port1);
            LogstashListener back = first;

            LogshipApp.await(Duration.ofSeconds(120), () -> {
                try {
                    return "completed".equals(LogshipApp.json(app.get("/api/v1/logs/uploads/" + uploadId, token)).get("status").asText());
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode status = LogshipApp.json(app.get("/api/v1/logs/uploads/" + uploadId, token));
            assertEquals(total, status.get("received").asInt());
            assertEquals(total, status.get("sent_logstash").asInt() + status.get("spooled").asInt(), status.toString());

            Set<String> arrived = new HashSet<>();
            second.events().forEach(e -> arrived.add(e.get("event_id").asText()));
            int atSecond = arrived.size();
            LogshipApp.await(Duration.ofSeconds(30), () -> Events.matching(back, uploadId).size() > 0);
            Events.matching(first, uploadId).forEach(e -> arrived.add(e.get("event_id").asText()));
            int atFirst = arrived.size() - atSecond;
            arrived.addAll(spooledEventIds(app.dataDir().resolve("spool")));
            int missing = total - arrived.size();
            System.out.printf("kill -9 mid-upload: %d events at the second host, %d at the first, %d spooled (status), %d lost%n",
                    atSecond, atFirst, status.get("spooled").asInt(), missing);
            assertTrue(atSecond >= 3_000, atSecond + " at the second host");
            assertTrue(atFirst > 0, "the dead host, back, took the rest");
            // the killed process's receive buffer (16 KB) and read chunk (16 KB), logship's send buffer (2 x 64 KB) and
            // one batch written to the dead peer: about 200 KB, under 1,000 events of 226 bytes
            assertTrue(missing <= 1_000, missing + " events lost with the killed process (at the second: " + atSecond
                    + ", at the first: " + atFirst + ", status " + status + ")");

            JsonNode hosts = monitor(app).get("health").get("hosts");
            assertEquals(2, hosts.size());
            assertEquals("healthy", hosts.get(0).get("status").asText(), hosts.toString());
            assertEquals("unhealthy", hosts.get(1).get("status").asText(), hosts.toString());
            assertEquals(0, io.logship.testing.Scrape.of(app).value("logship_logstash_host_up", "host", "127.0.0.1:" + port2));
        } finally {
            if (first != null) {
                first.close();
            }
        }
    }

    private static Set<String> spooledEventIds(Path spool) throws Exception {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(spool)) {
            return ids;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(spool)) {
            files = list.filter(f -> f.toString().endsWith(".ndjson")).toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                ids.add(LogshipApp.JSON.readTree(line).get("event_id").asText());
            }
        }
        return ids;
    }
}
