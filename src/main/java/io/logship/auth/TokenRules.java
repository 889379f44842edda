package io.logship.auth;

import java.time.Duration;

/**
 * What a token must satisfy, from the JWT_* settings. Each key source is optional: {@code secret} (HS256),
 * {@code publicKey} (a PEM RSA or P-256 key, or the path of a PEM file: RS256 / ES256) and {@code jwksUrl}
 * (an identity provider's key set: RS256 / ES256, its keys refetched on rotation). With none of them a random
 * HS256 key is made for the run.
 */
public record TokenRules(String secret, String publicKey, String jwksUrl, Duration jwksMinRefresh,
                         Duration clockSkew, String issuer, String audience) {

    public static TokenRules hs256(String secret) {
        return new TokenRules(secret, null, null, Duration.ofSeconds(30), Duration.ofSeconds(5), null, null);
    }

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
