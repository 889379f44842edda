package io.logship.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.logship.api.ApiError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JWT_CLOCK_SKEW, a required exp, JWT_ISSUER / JWT_AUDIENCE, RS256 / ES256 keys and a JWKS URL with key rotation. */
class TokenRulesTest {

    private static final String SECRET = "token-rules-secret-0123456789abcdef-0123456789";

    private static TokenRules rules(String secret, String publicKey, String jwksUrl, String issuer, String audience) {
        return new TokenRules(secret, publicKey, jwksUrl, Duration.ofMillis(200), Duration.ofSeconds(5), issuer, audience);
    }

    private static JWTClaimsSet.Builder claims(Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("tenant_id", "acme").claim("roles", List.of());
        return expires == null ? claims : claims.expirationTime(Date.from(expires));
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return "Bearer " + jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        return sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS256), claims);
    }

    private static int refusal(Authenticator authenticator, String bearer) {
        return assertThrows(ApiError.class, () -> authenticator.verifyUploader(bearer)).status();
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void aTokenWithoutExpIsRefused() throws Exception {
        Authenticator authenticator = new Authenticator(rules(SECRET, null, null, null, null));
        assertEquals(401, refusal(authenticator, hs256(claims(null).build())));
        assertEquals("acme", authenticator.verifyUploader(hs256(claims(Instant.now().plusSeconds(60)).build())).id());
    }

    @Test
    void expiryHasOnlyTheConfiguredLeeway() throws Exception {
        Authenticator authenticator = new Authenticator(rules(SECRET, null, null, null, null));
        assertEquals(401, refusal(authenticator, hs256(claims(Instant.now().minusSeconds(10)).build())), "10 s past exp");
        assertEquals("acme", authenticator.verifyUploader(hs256(claims(Instant.now().minusSeconds(2)).build())).id(),
                "within JWT_CLOCK_SKEW (5 s)");
        Authenticator strict = new Authenticator(new TokenRules(SECRET, null, null, Duration.ofSeconds(1), Duration.ZERO, null, null));
        assertEquals(401, refusal(strict, hs256(claims(Instant.now().minusSeconds(2)).build())));
        assertEquals(401, refusal(authenticator, hs256(claims(Instant.now().plusSeconds(60))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(30))).build())), "not yet valid");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        Authenticator authenticator = new Authenticator(rules(SECRET, null, null, "https://idp.example.com", "logship"));
        Instant exp = Instant.now().plusSeconds(60);
        assertEquals("acme", authenticator.verifyUploader(hs256(claims(exp).issuer("https://idp.example.com").audience("logship").build())).id());
        assertEquals(401, refusal(authenticator, hs256(claims(exp).issuer("https://evil.example.com").audience("logship").build())));
        assertEquals(401, refusal(authenticator, hs256(claims(exp).audience("logship").build())), "no iss");
        assertEquals(401, refusal(authenticator, hs256(claims(exp).issuer("https://idp.example.com").audience("other").build())));
        assertEquals(401, refusal(authenticator, hs256(claims(exp).issuer("https://idp.example.com").build())), "no aud");
    }

    @Test
    void rs256WithAConfiguredPublicKeyFileOrPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path file = Files.createTempFile("jwt-public", ".pem");
        Files.writeString(file, pem(pair.getPublic()));
        String token = sign(new RSASSASigner(pair.getPrivate()), new JWSHeader(JWSAlgorithm.RS256), claims(Instant.now().plusSeconds(60)).build());
        for (String setting : new String[] {file.toString(), pem(pair.getPublic())}) {
            Authenticator authenticator = new Authenticator(rules(null, setting, null, null, null));
            assertEquals("acme", authenticator.verifyUploader(token).id());
            KeyPair other = generator.generateKeyPair();
            assertEquals(401, refusal(authenticator, sign(new RSASSASigner(other.getPrivate()), new JWSHeader(JWSAlgorithm.RS256),
                    claims(Instant.now().plusSeconds(60)).build())), "another key");
            // the public key used as an HMAC secret (algorithm confusion) is refused: HS256 has no key here
            assertEquals(401, refusal(authenticator, sign(new MACSigner(pair.getPublic().getEncoded()), new JWSHeader(JWSAlgorithm.HS256),
                    claims(Instant.now().plusSeconds(60)).build())));
            assertThrows(IllegalStateException.class, () -> authenticator.issue("acme", List.of(), Instant.now().plusSeconds(60)),
                    "without JWT_SECRET logship signs nothing");
        }
        Files.delete(file);
    }

    @Test
    void es256WithAConfiguredPublicKeyNextToAnHs256Secret() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Authenticator authenticator = new Authenticator(rules(SECRET, pem(pair.getPublic()), null, null, null));
        Instant exp = Instant.now().plusSeconds(60);
        assertEquals("acme", authenticator.verifyUploader(sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()),
                new JWSHeader(JWSAlgorithm.ES256), claims(exp).build())).id());
        assertEquals("acme", authenticator.verifyUploader(hs256(claims(exp).build())).id(), "the secret's tokens still count");
        assertEquals(401, refusal(authenticator, sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()),
                new JWSHeader(JWSAlgorithm.ES256), claims(null).build())), "exp is required for every algorithm");
        assertTrue(pair.getPublic() instanceof ECPublicKey);
    }

    @Test
    void jwksUrlFollowsAKeyRotation() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAKey first = rsaKey(generator.generateKeyPair(), "key-1");
        RSAKey second = rsaKey(generator.generateKeyPair(), "key-2");
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        try {
            String url = "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json";
            Authenticator authenticator = new Authenticator(rules(null, null, url, null, null));
            Instant exp = Instant.now().plusSeconds(60);
            String byFirst = sign(first, exp);
            assertTrue(fetches.get() >= 1, "fetched at start");
            assertEquals("acme", authenticator.verifyUploader(byFirst).id());
            int cached = fetches.get();
            assertEquals("acme", authenticator.verifyUploader(byFirst).id());
            assertEquals(cached, fetches.get(), "the key set is cached");

            published.set(new JWKSet(second.toPublicJWK()));
            Thread.sleep(400);
            assertEquals("acme", authenticator.verifyUploader(sign(second, exp)).id(), "a new key id fetches the set again");
            assertEquals(cached + 1, fetches.get());
            Thread.sleep(400);
            assertEquals(401, refusal(authenticator, byFirst), "the retired key no longer verifies");
            assertEquals(401, refusal(authenticator, sign(new RSASSASigner(generator.generateKeyPair().getPrivate()),
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-2").build(), claims(exp).build())), "a forged key-2 token");
        } finally {
            idp.stop(0);
        }
    }

    private static RSAKey rsaKey(KeyPair pair, String id) {
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate()).keyID(id).build();
    }

    private static String sign(RSAKey key, Instant exp) throws Exception {
        return sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims(exp).build());
    }

    @Test
    void aPublicKeyThatIsNotOneIsRefusedAtStart() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new Authenticator(rules(null, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", null, null, null)));
        assertThrows(IllegalArgumentException.class, () -> new Authenticator(rules(null, "/no/such/key.pem", null, null, null)));
    }
}
