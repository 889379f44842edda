package io.logship.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.logship.api.ApiError;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {

    private static final String SECRET = "unit-test-secret-0123456789abcdef-0123456789";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Authenticator authenticator = new Authenticator(SECRET);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    private String bearer(String token) {
        return "Bearer " + token;
    }

    private int refusal(Runnable call) {
        return assertThrows(ApiError.class, call::run).status();
    }

    @Test
    void validTokenGivesTenantAndRolesAsExchangeProperty() {
        String token = authenticator.issue("acme", List.of("admin", "ops"), Instant.now().plusSeconds(60));
        authenticator.uploader(bearer(token), exchange);
        Tenant tenant = exchange.getProperty(Authenticator.TENANT, Tenant.class);
        assertEquals(new Tenant("acme", List.of("admin", "ops")), tenant);
        assertTrue(tenant.isAdmin());
    }

    @Test
    void schemeIsCaseInsensitive() {
        String token = authenticator.issue("acme", List.of(), Instant.now().plusSeconds(60));
        authenticator.uploader("bearer " + token, exchange);
        assertEquals("acme", exchange.getProperty(Authenticator.TENANT, Tenant.class).id());
    }

    @Test
    void missingOrNonBearerHeaderIs401() {
        assertEquals(401, refusal(() -> authenticator.uploader(null, exchange)));
        assertEquals(401, refusal(() -> authenticator.uploader("", exchange)));
        assertEquals(401, refusal(() -> authenticator.uploader("Basic dXNlcjpwYXNz", exchange)));
        assertEquals(401, refusal(() -> authenticator.uploader("Bearer ", exchange)));
        assertEquals(401, refusal(() -> authenticator.uploader("Bearer not.a.jwt", exchange)));
        assertNull(exchange.getProperty(Authenticator.TENANT));
    }

    @Test
    void tokenOfAnotherKeyIs401() {
        String other = new Authenticator("another-secret-0123456789abcdef-0123456789")
                .issue("acme", List.of("admin"), Instant.now().plusSeconds(60));
        assertEquals(401, refusal(() -> authenticator.uploader(bearer(other), exchange)));
    }

    @Test
    void tamperedClaimsAre401() {
        String[] parts = authenticator.issue("acme", List.of(), Instant.now().plusSeconds(60)).split("\\.");
        String claims = B64.encodeToString(("{\"tenant_id\":\"globex\",\"roles\":[\"admin\"],\"exp\":"
                + (Instant.now().getEpochSecond() + 60) + "}").getBytes(StandardCharsets.UTF_8));
        assertEquals(401, refusal(() -> authenticator.admin(bearer(parts[0] + "." + claims + "." + parts[2]), exchange)));
    }

    @Test
    void algNoneIs401() {
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"tenant_id\":\"acme\",\"roles\":[\"admin\"],\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8));
        assertEquals(401, refusal(() -> authenticator.uploader(bearer(header + "." + claims + "."), exchange)));
        assertEquals(401, refusal(() -> authenticator.admin(bearer(header + "." + claims + "."), exchange)));
    }

    @Test
    void otherHmacAlgorithmWithTheSameKeyIs401() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), new JWTClaimsSet.Builder()
                .claim("tenant_id", "acme").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        jwt.sign(new MACSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertEquals(401, refusal(() -> authenticator.uploader(bearer(jwt.serialize()), exchange)));
    }

    @Test
    void expiredTokenIs401() {
        String expired = authenticator.issue("acme", List.of("admin"), Instant.now().minusSeconds(3600));
        assertEquals(401, refusal(() -> authenticator.uploader(bearer(expired), exchange)));
        assertEquals(401, refusal(() -> authenticator.admin(bearer(expired), exchange)));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"Bad Tenant!", "../x", "Acme", "-acme", "_acme", "a.b", "a/b", "", "acme\n"})
    void invalidTenantIs403(String tenantId) {
        String token = authenticator.issue(tenantId, List.of("admin"), Instant.now().plusSeconds(60));
        assertEquals(403, refusal(() -> authenticator.uploader(bearer(token), exchange)));
    }

    @Test
    void tenantIdsAreAtMost64Characters() {
        String longest = "t" + "0".repeat(63);
        authenticator.uploader(bearer(authenticator.issue(longest, List.of(), Instant.now().plusSeconds(60))), exchange);
        assertEquals(longest, exchange.getProperty(Authenticator.TENANT, Tenant.class).id());
        String tooLong = longest + "0";
        assertEquals(403, refusal(() -> authenticator.uploader(bearer(authenticator.issue(tooLong, List.of(),
                Instant.now().plusSeconds(60))), exchange)));
    }

    @Test
    void missingTenantIs403() {
        String token = authenticator.issue(null, List.of(), Instant.now().plusSeconds(60));
        assertEquals(403, refusal(() -> authenticator.uploader(bearer(token), exchange)));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"a", "0", "acme", "acme-prod_2", "9to5"})
    void validTenants(String tenantId) {
        authenticator.uploader(bearer(authenticator.issue(tenantId, List.of(), Instant.now().plusSeconds(60))), exchange);
        assertEquals(tenantId, exchange.getProperty(Authenticator.TENANT, Tenant.class).id());
    }

    @Test
    void monitorNeedsTheAdminRole() {
        String user = authenticator.issue("acme", List.of("user"), Instant.now().plusSeconds(60));
        assertEquals(403, refusal(() -> authenticator.admin(bearer(user), exchange)));
        String admin = authenticator.issue("acme", List.of("admin"), Instant.now().plusSeconds(60));
        authenticator.admin(bearer(admin), exchange);
        assertTrue(exchange.getProperty(Authenticator.TENANT, Tenant.class).isAdmin());
    }

    @Test
    void configuredSecretShorterThan32BytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Authenticator("short"));
    }

    @Test
    void withoutSecretEachStartHasItsOwnRandomKey() {
        Authenticator first = new Authenticator("");
        Authenticator second = new Authenticator((String) null);
        String token = first.issue("acme", List.of(), Instant.now().plusSeconds(60));
        first.uploader(bearer(token), exchange);
        assertEquals(401, refusal(() -> second.uploader(bearer(token), exchange)));
    }
}
