package io.logship.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.logship.api.ApiError;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bearer token (HS256) to {@link Tenant}. Signature, algorithm and expiry are checked by nimbus-jose-jwt. */
public class Authenticator {

    public static final String TENANT = "logshipTenant";
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final byte[] secret;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public Authenticator(String configuredSecret) {
        if (configuredSecret == null || configuredSecret.isBlank()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LOG.warn("JWT_SECRET is not set: using a random key for this run only. Development token (tenant 'dev', admin, 24 h):\n{}",
                    issue("dev", List.of("admin"), Instant.now().plusSeconds(86400)));
        } else {
            secret = configuredSecret.getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes for HS256");
            }
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of()));
    }

    /** Any valid token. The bean methods of the routes set the exchange property {@value #TENANT} and leave the body alone. */
    Tenant authenticate(@Header("Authorization") String authorization, Exchange exchange) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "unauthorized", "an Authorization: Bearer <JWT> header is required");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(authorization.substring(7).trim(), null);
        } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
            throw new ApiError(401, "unauthorized", "invalid token: " + e.getMessage());
        }
        Tenant tenant = new Tenant(stringClaim(claims, "tenant_id"), rolesOf(claims));
        exchange.setProperty(TENANT, tenant);
        return tenant;
    }

    /** A token whose tenant can own uploads. */
    public void uploader(@Header("Authorization") String authorization, Exchange exchange) {
        Tenant tenant = authenticate(authorization, exchange);
        if (tenant.id() == null || !Tenant.VALID_ID.matcher(tenant.id()).matches()) {
            throw new ApiError(403, "forbidden", "the token has no valid tenant_id (expected ^[a-z0-9][a-z0-9_-]{0,63}$)");
        }
    }

    public void admin(@Header("Authorization") String authorization, Exchange exchange) {
        if (!authenticate(authorization, exchange).isAdmin()) {
            throw new ApiError(403, "forbidden", "the monitor requires the admin role");
        }
    }

    /** Signs a token with this instance's key: the development token, and tests. */
    public String issue(String tenantId, List<String> roles, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("roles", roles).expirationTime(Date.from(expiresAt));
        if (tenantId != null) {
            claims.claim("tenant_id", tenantId);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static List<String> rolesOf(JWTClaimsSet claims) {
        Object roles = claims.getClaim("roles");
        if (roles instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
