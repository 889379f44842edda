package io.logship.auth;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
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

/**
 * Bearer token to {@link Tenant}. Signature, algorithm, {@code exp} (required), {@code nbf}, {@code iss} and
 * {@code aud} are checked by nimbus-jose-jwt; each key type accepts only its own algorithm, so a public key can
 * never be used as an HMAC secret.
 */
public class Authenticator {

    public static final String TENANT = "logshipTenant";
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final byte[] secret;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public Authenticator(String configuredSecret) {
        this(TokenRules.hs256(configuredSecret));
    }

    public Authenticator(TokenRules rules) {
        List<JWK> localKeys = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        JWKSource<SecurityContext> identityProvider = null;
        boolean asymmetric = TokenRules.isSet(rules.publicKey()) || TokenRules.isSet(rules.jwksUrl());
        if (TokenRules.isSet(rules.secret())) {
            secret = rules.secret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes for HS256");
            }
        } else if (!asymmetric) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = null;
        }
        if (secret != null) {
            localKeys.add(new OctetSequenceKey.Builder(secret).build());
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (TokenRules.isSet(rules.publicKey())) {
            JWK key = publicKey(rules.publicKey());
            localKeys.add(key);
            algorithms.add(key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256);
        }
        if (TokenRules.isSet(rules.jwksUrl())) {
            try {
                // cached; an unknown key id (a rotation) fetches the set again, at most once per jwksMinRefresh
                identityProvider = JWKSourceBuilder.<SecurityContext>create(URI.create(rules.jwksUrl()).toURL())
                        .rateLimited(rules.jwksMinRefresh().toMillis())
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("JWT_JWKS_URL is not a URL: " + rules.jwksUrl(), e);
            }
            algorithms.add(JWSAlgorithm.RS256);
            algorithms.add(JWSAlgorithm.ES256);
            // fetched now, so a wrong URL shows in the log at start and the first tokens find the keys cached
            try {
                identityProvider.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            } catch (KeySourceException e) {
                LOG.warn("JWT_JWKS_URL {} cannot be read yet ({}); tokens of the identity provider are refused until it can",
                        rules.jwksUrl(), e.getMessage());
            }
        }
        JWKSet local = new JWKSet(localKeys);
        JWKSource<SecurityContext> remote = identityProvider;
        JWKSource<SecurityContext> keys = (selector, context) -> {
            List<JWK> found = selector.select(local);
            return found.isEmpty() && remote != null ? remote.get(selector, context) : found;
        };
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                TokenRules.isSet(rules.audience()) ? Set.of(rules.audience()) : null,
                TokenRules.isSet(rules.issuer()) ? new JWTClaimsSet.Builder().issuer(rules.issuer()).build() : null,
                Set.of("exp"), null);
        claims.setMaxClockSkew((int) rules.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        if (!TokenRules.isSet(rules.secret()) && !asymmetric) {
            LOG.warn("JWT_SECRET is not set: using a random key for this run only. Development token (tenant 'dev', admin, 24 h):\n{}",
                    issue("dev", List.of("admin"), Instant.now().plusSeconds(86400)));
        }
    }

    /** The verified caller of an {@code Authorization} header value; a refusal is a 401 {@link ApiError}. */
    public Tenant verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "unauthorized", "an Authorization: Bearer <JWT> header is required");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(authorization.substring(7).trim(), null);
        } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
            throw new ApiError(401, "unauthorized", "invalid token: " + e.getMessage());
        }
        return new Tenant(stringClaim(claims, "tenant_id"), rolesOf(claims));
    }

    /** A verified caller whose tenant can own uploads; else 401 or 403. */
    public Tenant verifyUploader(String authorization) {
        Tenant tenant = verify(authorization);
        if (tenant.id() == null || !Tenant.VALID_ID.matcher(tenant.id()).matches()) {
            throw new ApiError(403, "forbidden", "the token has no valid tenant_id (expected ^[a-z0-9][a-z0-9_-]{0,63}$)");
        }
        return tenant;
    }

    /** Any valid token. The bean methods of the routes set the exchange property {@value #TENANT} and leave the body alone. */
    Tenant authenticate(@Header("Authorization") String authorization, Exchange exchange) {
        Tenant tenant = verify(authorization);
        exchange.setProperty(TENANT, tenant);
        return tenant;
    }

    /** A token whose tenant can own uploads. */
    public void uploader(@Header("Authorization") String authorization, Exchange exchange) {
        exchange.setProperty(TENANT, verifyUploader(authorization));
    }

    public void admin(@Header("Authorization") String authorization, Exchange exchange) {
        if (!authenticate(authorization, exchange).isAdmin()) {
            throw new ApiError(403, "forbidden", "the monitor requires the admin role");
        }
    }

    /** Signs an HS256 token with this instance's key: the development token, and tests. */
    public String issue(String tenantId, List<String> roles, Instant expiresAt) {
        if (secret == null) {
            throw new IllegalStateException("no JWT_SECRET: tokens come from the identity provider");
        }
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

    /** JWT_PUBLIC_KEY: the PEM text itself or the path of a PEM file, an RSA key (RS256) or a P-256 key (ES256). */
    static JWK publicKey(String setting) {
        String pem = setting.strip();
        try {
            if (!pem.startsWith("-----BEGIN")) {
                pem = Files.readString(Path.of(pem));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY is neither a PEM key nor a readable file: " + setting, e);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof RSAPublicKey rsa) {
                    return new RSAKey.Builder(rsa).build();
                }
                ECPublicKey ec = (ECPublicKey) key;
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalArgumentException("JWT_PUBLIC_KEY: only P-256 EC keys (ES256) are supported");
                }
                return new ECKey.Builder(Curve.P_256, ec).build();
            } catch (GeneralSecurityException e) {
                // not this key type: try the next
            }
        }
        throw new IllegalArgumentException("JWT_PUBLIC_KEY is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
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
