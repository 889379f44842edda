package io.logship.ship;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashHttpInput;
import io.logship.testing.LogstashListener;
import io.logship.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOGSTASH_SSL=true against real TLS listeners (a json_lines tcp listener, an https stand-in for the http input)
 * whose certificates are made for this run: the right CA passes (with a client certificate the listener requires),
 * a wrong CA or a certificate for another host fails the handshake, which is logged and reported as the reason, and
 * the batch takes the fallback path (the spool here). Hostname verification is on without being asked for.
 */
class LogstashTlsTest {

    static Path dir;
    static TestCertificates ca;
    static TestCertificates stranger;
    static TestCertificates.Identity server;
    static TestCertificates.Identity otherHost;
    static Path[] client;

    @BeforeAll
    static void certificates() throws Exception {
        dir = Files.createTempDirectory("logship-tls-");
        ca = TestCertificates.authority(dir, "logship-test");
        stranger = TestCertificates.authority(dir, "stranger");
        server = ca.issue("logstash", "localhost", "127.0.0.1");
        otherHost = ca.issue("elsewhere", "elsewhere.example");
        client = ca.writePem(ca.issue("logship", "logship.example"), "client");
    }

    @AfterAll
    static void removeCertificates() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Map<String, String> tls(String protocol, int port, Path caPem, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("logstash.protocol", protocol, "logstash.port", String.valueOf(port),
                "logstash.ssl", "true", "logstash.ssl.ca", caPem.toString(), "logstash.max.retries", "1",
                "spool.replay.interval", "3600"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    static Map<String, String> withClientCertificate(Map<String, String> settings) {
        settings.put("logstash.ssl.cert", client[0].toString());
        settings.put("logstash.ssl.key", client[1].toString());
        return settings;
    }

    static JsonNode upload(LogshipApp app) throws Exception {
        return app.uploadAndWait(app.token("acme"), "text/plain", utf8("secret 1\nsecret 2\nsecret 3\n"), null);
    }

    static String lastError(LogshipApp app) throws Exception {
        return LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                .get("statistics").get("last_error").asText();
    }

    /** The handshake failed: nothing reached Logstash, the batch is in the spool, and the reason says why. */
    static void assertRefusedByTls(LogshipApp app, String expectedReason) throws Exception {
        JsonNode result = upload(app);
        assertEquals("completed", result.get("status").asText(), result.toString());
        assertEquals(0, result.get("sent_logstash").asInt(), result.toString());
        assertEquals(3, result.get("spooled").asInt(), result.toString());
        String reason = lastError(app);
        assertTrue(reason.contains(expectedReason), "last_error: " + reason);
    }

    @Test
    void tcpWithTheRightCaAndAClientCertificate() throws Exception {
        try (LogstashListener logstash = LogstashListener.tls(TestCertificates.serverContext(server, ca), true);
             LogshipApp app = LogshipApp.start(withClientCertificate(tls("tcp", logstash.port(), ca.caPem())))) {
            JsonNode result = upload(app);
            assertEquals(3, result.get("written_logstash").asInt(), result.toString());
            assertEquals(0, result.get("spooled").asInt());
            logstash.awaitEvents(3, Duration.ofSeconds(30));
            assertEquals("secret 1", logstash.events().get(0).get("message").asText());
            // tcp has no answer: the events were written, nothing acknowledged them
            JsonNode statistics = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin")))
                    .get("statistics");
            assertEquals(3, statistics.get("total_written").asInt(), statistics.toString());
            assertEquals(0, statistics.get("total_acknowledged").asInt());
            assertEquals("written", statistics.get("delivery").asText());
        }
    }

    @Test
    void tcpWithAWrongCaFails() throws Exception {
        try (LogstashListener logstash = LogstashListener.tls(TestCertificates.serverContext(server, null), false);
             LogshipApp app = LogshipApp.start(tls("tcp", logstash.port(), stranger.caPem()))) {
            assertRefusedByTls(app, "certification path");
            assertEquals(0, logstash.eventCount());
        }
    }

    @Test
    void tcpToAHostTheCertificateDoesNotNameFails() throws Exception {
        try (LogstashListener logstash = LogstashListener.tls(TestCertificates.serverContext(otherHost, null), false);
             LogshipApp app = LogshipApp.start(tls("tcp", logstash.port(), ca.caPem()))) {
            assertRefusedByTls(app, "No subject alternative DNS name matching localhost");
            assertEquals(0, logstash.eventCount());
        }
    }

    @Test
    void httpWithTheRightCaAndAClientCertificate() throws Exception {
        SSLContext context = TestCertificates.serverContext(server, ca);
        try (LogstashHttpInput logstash = LogstashHttpInput.start(new LogstashHttpInput.Options().tls(context, true));
             LogshipApp app = LogshipApp.start(withClientCertificate(tls("http", logstash.port(), ca.caPem())))) {
            JsonNode result = upload(app);
            assertEquals(3, result.get("acknowledged_logstash").asInt(), result.toString());
            assertEquals(3, logstash.eventCount());
        }
    }

    @Test
    void httpWithAWrongCaFails() throws Exception {
        try (LogstashHttpInput logstash = LogstashHttpInput.start(
                new LogstashHttpInput.Options().tls(TestCertificates.serverContext(server, null), false));
             LogshipApp app = LogshipApp.start(tls("http", logstash.port(), stranger.caPem()))) {
            assertRefusedByTls(app, "certification path");
            assertEquals(0, logstash.eventCount());
        }
    }

    @Test
    void httpToAHostTheCertificateDoesNotNameFails() throws Exception {
        try (LogstashHttpInput logstash = LogstashHttpInput.start(
                new LogstashHttpInput.Options().tls(TestCertificates.serverContext(otherHost, null), false));
             LogshipApp app = LogshipApp.start(tls("http", logstash.port(), ca.caPem()))) {
            assertRefusedByTls(app, "localhost");
            assertEquals(0, logstash.eventCount());
        }
    }

    @Test
    void withoutHostnameVerificationACertificateForAnotherHostIsTakenOnBothProtocols() throws Exception {
        try (LogstashHttpInput logstash = LogstashHttpInput.start(
                new LogstashHttpInput.Options().tls(TestCertificates.serverContext(otherHost, null), false));
             LogshipApp app = LogshipApp.start(tls("http", logstash.port(), ca.caPem(), "logstash.ssl.verify.hostname", "false"))) {
            assertEquals(3, upload(app).get("acknowledged_logstash").asInt());
        }
        try (LogstashListener logstash = LogstashListener.tls(TestCertificates.serverContext(otherHost, null), false);
             LogshipApp app = LogshipApp.start(tls("tcp", logstash.port(), ca.caPem(), "logstash.ssl.verify.hostname", "false"))) {
            assertEquals(3, upload(app).get("written_logstash").asInt());
            logstash.awaitEvents(3, Duration.ofSeconds(30));
        }
    }
}
