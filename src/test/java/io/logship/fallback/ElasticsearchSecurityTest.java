package io.logship.fallback;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ApiKeyProxy;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A secured Elasticsearch, as 8.x and 9.x run by default: TLS with a CA made at start, and users who must
 * authenticate (the user {@code logship} may only write to {@code logs-*} and read the cluster's health).
 * Its {@code logs-*-*} names become data streams, as on a default cluster. API keys are checked by
 * {@link ApiKeyProxy} in front of it (the integ-test zip cannot hold them).
 */
@Tag("elasticsearch")
class ElasticsearchSecurityTest {

    private static ElasticsearchServer elasticsearch;

    @BeforeAll
    static void startSecuredElasticsearch() {
        elasticsearch = ElasticsearchServer.startSecured("8.19.21");
        elasticsearch.put("/_index_template/logs-as-built-in",
                "{\"index_patterns\":[\"logs-*-*\"],\"data_stream\":{},\"priority\":100}");
    }

    @AfterAll
    static void stopElasticsearch() {
        if (elasticsearch != null) {
            elasticsearch.close();
        }
    }

    private static LogshipApp app(String... settings) throws Exception {
        String[] common = {"use.logstash", "false", "elasticsearch.max.retries", "0", "elasticsearch.retry.delay", "0.05",
                "elasticsearch.hosts", elasticsearch.url()};
        String[] all = new String[common.length + settings.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(settings, 0, all, common.length, settings.length);
        return LogshipApp.start(all);
    }

    private static JsonNode upload(LogshipApp app, String tenant) throws Exception {
        return app.uploadAndWait(app.token(tenant), "application/x-ndjson",
                "{\"@timestamp\":\"2024-03-01T00:00:00Z\",\"n\":1}\n{\"@timestamp\":\"2024-03-01T00:00:01Z\",\"n\":2}\n"
                        .getBytes(StandardCharsets.UTF_8), null);
    }

    private static JsonNode elasticsearchCheck(LogshipApp app) throws Exception {
        for (JsonNode check : LogshipApp.json(app.get("/observe/health?data=true", null)).path("checks")) {
            if ("elasticsearch".equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no elasticsearch check");
    }

    private static void assertSpooledNotSent(JsonNode result, String tenant) {
        assertEquals(0, result.get("sent_elasticsearch").asInt(), result.toString());
        assertEquals(2, result.get("spooled").asInt(), result.toString());
        assertEquals(0, elasticsearch.count("logs-" + tenant + "-*"));
    }

    @Test
    void usernameAndPasswordOverTlsTrustingTheCaFile() throws Exception {
        try (LogshipApp app = app("elasticsearch.username", "logship", "elasticsearch.password", elasticsearch.logshipPassword(),
                "elasticsearch.ca", elasticsearch.caCertificate().toString())) {
            JsonNode check = elasticsearchCheck(app);
            assertEquals("UP", check.path("status").asText(), check.toString());
            JsonNode result = upload(app, "secure");
            assertEquals(2, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(2, elasticsearch.count("logs-secure-2024.03"));
            assertTrue(elasticsearch.isDataStream("logs-secure-2024.03"));
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheEventsWaitInTheSpool() throws Exception {
        try (LogshipApp app = app("elasticsearch.username", "logship", "elasticsearch.password", "not-the-password",
                "elasticsearch.ca", elasticsearch.caCertificate().toString())) {
            JsonNode check = elasticsearchCheck(app);
            assertEquals("DOWN", check.path("status").asText(), check.toString());
            assertTrue(check.path("message").asText().contains("401"), check.toString());
            assertSpooledNotSent(upload(app, "wrongpassword"), "wrongpassword");
        }
    }

    @Test
    void theCaFingerprintPinsTheCluster() throws Exception {
        try (LogshipApp app = app("elasticsearch.username", "logship", "elasticsearch.password", elasticsearch.logshipPassword(),
                "elasticsearch.ca.fingerprint", caFingerprint())) {
            JsonNode result = upload(app, "pinned");
            assertEquals(2, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(2, elasticsearch.count("logs-pinned-2024.03"));
        }
    }

    @Test
    void aServerThatIsNotTrustedGetsNothing() throws Exception {
        String other = "AB:".repeat(31) + "AB";
        try (LogshipApp pinnedElsewhere = app("elasticsearch.username", "logship", "elasticsearch.password",
                elasticsearch.logshipPassword(), "elasticsearch.ca.fingerprint", other)) {
            JsonNode check = elasticsearchCheck(pinnedElsewhere);
            assertEquals("DOWN", check.path("status").asText(), check.toString());
            assertSpooledNotSent(upload(pinnedElsewhere, "pinnedelsewhere"), "pinnedelsewhere");
        }
        // without ELASTICSEARCH_CA the JVM's trust store applies, which does not know this cluster's CA
        try (LogshipApp jvmTrust = app("elasticsearch.username", "logship", "elasticsearch.password",
                elasticsearch.logshipPassword())) {
            JsonNode check = elasticsearchCheck(jvmTrust);
            assertEquals("DOWN", check.path("status").asText(), check.toString());
            assertTrue(check.path("message").asText().contains("certification path"), check.toString());
        }
    }

    @Test
    void anApiKeyGoesInTheApiKeyHeader() throws Exception {
        String idAndKey = "Jx0TeJoBzK1FkC5zGxUM:0aXYlUQ4Qo-tyGRM5SPSpg";
        String encoded = Base64.getEncoder().encodeToString(idAndKey.getBytes(StandardCharsets.UTF_8));
        try (ApiKeyProxy proxy = new ApiKeyProxy(elasticsearch, encoded)) {
            // as Logstash and Beats take it (id:api_key) and as the create-API-key answer's "encoded" gives it
            for (String form : new String[] {idAndKey, encoded}) {
                try (LogshipApp app = app("elasticsearch.hosts", proxy.url(), "elasticsearch.api.key", form,
                        "elasticsearch.ca", elasticsearch.caCertificate().toString())) {
                    String tenant = form.equals(encoded) ? "keyencoded" : "keyidandkey";
                    JsonNode result = upload(app, tenant);
                    assertEquals(2, result.get("sent_elasticsearch").asInt(), result.toString());
                    assertEquals(2, elasticsearch.count("logs-" + tenant + "-2024.03"));
                }
            }
            assertTrue(proxy.authorizations().stream().allMatch(("ApiKey " + encoded)::equals), proxy.authorizations().toString());
            try (LogshipApp app = app("elasticsearch.hosts", proxy.url(), "elasticsearch.api.key", "someone:else",
                    "elasticsearch.ca", elasticsearch.caCertificate().toString())) {
                assertEquals("DOWN", elasticsearchCheck(app).path("status").asText());
                assertSpooledNotSent(upload(app, "wrongkey"), "wrongkey");
            }
        }
    }

    /** As Elasticsearch prints it at its first start: SHA-256 of the CA certificate, lower-case hex. */
    private static String caFingerprint() throws Exception {
        try (InputStream in = Files.newInputStream(elasticsearch.caCertificate())) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        }
    }
}
