package io.logship.fallback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates logship trusts on an {@code https://} Elasticsearch: the CA certificates of
 * {@code ELASTICSEARCH_CA} (a PEM file, as Elasticsearch 8+ writes {@code certs/http_ca.crt}), or the CA whose
 * SHA-256 fingerprint is {@code ELASTICSEARCH_CA_FINGERPRINT} (as Elasticsearch prints at its first start),
 * else the JVM's own trust store. Host names are verified in every case, by the HTTP client.
 */
public final class ElasticsearchTrust {

    private ElasticsearchTrust() {
    }

    /** The TLS context for these settings; {@code null} when neither is set (the JVM's default trust). */
    public static SSLContext sslContext(String caFile, String caFingerprint) throws IOException, GeneralSecurityException {
        boolean ca = caFile != null && !caFile.isBlank();
        boolean fingerprint = caFingerprint != null && !caFingerprint.isBlank();
        if (ca && fingerprint) {
            throw new IllegalArgumentException("set ELASTICSEARCH_CA or ELASTICSEARCH_CA_FINGERPRINT, not both");
        }
        TrustManager trust;
        if (ca) {
            trust = trusting(certificates(Path.of(caFile.trim())));
        } else if (fingerprint) {
            trust = new FingerprintTrust(parse(caFingerprint));
        } else {
            return null;
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("ELASTICSEARCH_CA " + file + " is not a readable file");
        }
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (read.isEmpty()) {
            throw new IllegalArgumentException("ELASTICSEARCH_CA " + file + " holds no PEM certificate");
        }
        return read.stream().map(X509Certificate.class::cast).toList();
    }

    /** The JDK's PKIX validation with these certificates as the only anchors. */
    private static X509TrustManager trusting(List<X509Certificate> anchors) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    private static byte[] parse(String fingerprint) {
        String hex = fingerprint.trim().replace(":", "");
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("ELASTICSEARCH_CA_FINGERPRINT must be a SHA-256 fingerprint: 64 hex digits, colons allowed");
        }
        return HexFormat.of().parseHex(hex);
    }

    static byte[] sha256(X509Certificate certificate) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Trusts a server chain that contains the pinned CA and is valid up to it. Comparing the fingerprint of the
     * chain's last certificate alone would not do: a server could send any certificate followed by that CA's.
     */
    private static final class FingerprintTrust implements X509TrustManager {

        private final byte[] fingerprint;

        FingerprintTrust(byte[] fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            for (X509Certificate certificate : chain) {
                if (MessageDigest.isEqual(fingerprint, sha256(certificate))) {
                    try {
                        trusting(List.of(certificate)).checkServerTrusted(chain, authType);
                    } catch (IOException | GeneralSecurityException e) {
                        throw new CertificateException("the chain does not validate up to the pinned CA: " + e.getMessage(), e);
                    }
                    return;
                }
            }
            throw new CertificateException("no certificate of the server's chain has the SHA-256 fingerprint ELASTICSEARCH_CA_FINGERPRINT");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("logship does not accept TLS clients here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
