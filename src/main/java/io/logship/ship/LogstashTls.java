package io.logship.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HostnameVerifier;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;

/**
 * TLS towards Logstash from the PEM files Logstash's own inputs use: {@code LOGSTASH_SSL_CA} (the certificates that
 * may sign Logstash's; empty: the JVM's trust store) and, for inputs that require client certificates,
 * {@code LOGSTASH_SSL_CERT} with its PKCS#8 key {@code LOGSTASH_SSL_KEY}. The same parameters serve Netty (tcp) and
 * camel-http (http).
 */
public final class LogstashTls {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] IN_MEMORY = "logship".toCharArray();

    private LogstashTls() {
    }

    public static SSLContextParameters parameters(String caFile, String certFile, String keyFile) {
        SSLContextParameters parameters = new SSLContextParameters();
        try {
            if (present(caFile)) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(caFile)) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("LOGSTASH_SSL_CA " + caFile + " holds no PEM certificate");
                }
                TrustManagersParameters trustManagers = new TrustManagersParameters();
                trustManagers.setKeyStore(inMemory(trust));
                parameters.setTrustManagers(trustManagers);
            }
            if (present(certFile) != present(keyFile)) {
                throw new IllegalArgumentException("LOGSTASH_SSL_CERT and LOGSTASH_SSL_KEY go together: set both or neither");
            }
            if (present(certFile)) {
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("client", privateKey(keyFile), IN_MEMORY,
                        certificates(certFile).toArray(new Certificate[0]));
                KeyManagersParameters keyManagers = new KeyManagersParameters();
                keyManagers.setKeyStore(inMemory(identity));
                keyManagers.setKeyPassword(new String(IN_MEMORY));
                parameters.setKeyManagers(keyManagers);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to Logstash: " + e.getMessage(), e);
        }
        return parameters;
    }

    /** camel-http's check that the certificate names the host; Netty does its own with {@code hostnameVerification}. */
    public static HostnameVerifier hostnameVerifier(boolean verify) {
        return verify ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE;
    }

    private static boolean present(String file) {
        return file != null && !file.isBlank();
    }

    private static KeyStoreParameters inMemory(KeyStore store) {
        KeyStoreParameters parameters = new KeyStoreParameters();
        parameters.setKeyStore(store);
        parameters.setPassword(new String(IN_MEMORY));
        return parameters;
    }

    private static List<Certificate> certificates(String file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    /** An unencrypted PKCS#8 PEM key (what Logstash's inputs take too): RSA, EC or Ed25519. */
    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        Matcher pem = PEM_KEY.matcher(Files.readString(Path.of(file)));
        if (!pem.find()) {
            throw new IllegalArgumentException("LOGSTASH_SSL_KEY " + file
                    + " is not an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new IllegalArgumentException("LOGSTASH_SSL_KEY " + file + ": not an RSA, EC or Ed25519 key");
    }
}
