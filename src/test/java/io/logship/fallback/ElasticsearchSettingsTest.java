package io.logship.fallback;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the Elasticsearch credential and trust settings are read, and which combinations refuse to start. */
class ElasticsearchSettingsTest {

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsBecomeOneAuthorizationHeader() {
        assertNull(ElasticsearchClientFactory.authorization("", "", ""));
        assertEquals("Basic " + base64("logship:s3cr:et"), ElasticsearchClientFactory.authorization("logship", "s3cr:et", ""));
        assertEquals("ApiKey " + base64("VuaCfGcBCdbkQm:ui2lp2axTNmsyakw9tvNnw"),
                ElasticsearchClientFactory.authorization("", "", "VuaCfGcBCdbkQm:ui2lp2axTNmsyakw9tvNnw"));
        String encoded = base64("VuaCfGcBCdbkQm:ui2lp2axTNmsyakw9tvNnw");
        assertEquals("ApiKey " + encoded, ElasticsearchClientFactory.authorization(null, null, " " + encoded + " "));
    }

    @Test
    void ambiguousCredentialsRefuseToStart() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElasticsearchClientFactory.authorization("u", "p", "key"))
                .getMessage().contains("not both"));
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchClientFactory.authorization("u", "", ""));
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchClientFactory.authorization("", "p", ""));
    }

    @Test
    void trustSettings() throws Exception {
        assertNull(ElasticsearchTrust.sslContext("", ""), "the JVM's trust store");
        assertNotNull(ElasticsearchTrust.sslContext("", "AB:".repeat(31) + "AB"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElasticsearchTrust.sslContext("", "abc"))
                .getMessage().contains("64 hex digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElasticsearchTrust.sslContext("/nonexistent/ca.crt", ""))
                .getMessage().contains("not a readable file"));
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchTrust.sslContext("/etc/hostname", "ab".repeat(32)));
    }
}
