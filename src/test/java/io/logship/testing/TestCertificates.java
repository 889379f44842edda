package io.logship.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for one test run (BouncyCastle, EC P-256, valid for a day), written as PEM files to a temporary
 * directory, as Logstash's TLS settings take them. Nothing of this is committed.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final char[] PASSWORD = "test".toCharArray();

    /** A key and its certificate chain (the certificate first, then the CA's). */
    public record Identity(KeyPair key, X509Certificate[] chain) {
    }

    private final Path dir;
    private final String name;
    private final KeyPair caKey;
    private final X509Certificate ca;

    private TestCertificates(Path dir, String name) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.name = name;
        this.caKey = keyPair();
        this.ca = certificate(new X500Name("CN=" + name), caKey, new X500Name("CN=" + name), caKey, true, null);
        Files.writeString(caPem(), pem(ca));
    }

    /** A new certificate authority; its certificate is {@link #caPem()}. */
    public static TestCertificates authority(Path dir, String name) throws GeneralSecurityException, IOException {
        return new TestCertificates(dir, name);
    }

    public Path caPem() {
        return dir.resolve(name + "-ca.pem");
    }

    /** A certificate signed by this CA for the given DNS names and IP addresses. */
    public Identity issue(String subject, String... names) throws GeneralSecurityException, IOException {
        KeyPair key = keyPair();
        GeneralName[] alternatives = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            boolean ip = names[i].matches("[0-9.]+");
            alternatives[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
        }
        X509Certificate certificate = certificate(new X500Name("CN=" + subject), key, new X500Name("CN=" + name), caKey,
                false, new GeneralNames(alternatives));
        return new Identity(key, new X509Certificate[] {certificate, ca});
    }

    /** Writes the certificate and its PKCS#8 key as PEM files; returns {certificate, key}. */
    public Path[] writePem(Identity identity, String fileName) throws IOException {
        Path certificate = dir.resolve(fileName + ".pem");
        Path key = dir.resolve(fileName + "-key.pem");
        try {
            Files.writeString(certificate, pem(identity.chain()[0]));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + base64(identity.key().getPrivate().getEncoded())
                + "-----END PRIVATE KEY-----\n");
        return new Path[] {certificate, key};
    }

    /** A server's TLS context: it presents {@code identity}; with {@code clientsFrom}, it trusts that CA's clients. */
    public static SSLContext serverContext(Identity identity, TestCertificates clientsFrom) throws GeneralSecurityException,
            IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", identity.key().getPrivate(), PASSWORD, identity.chain());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trustManagers = null;
        if (clientsFrom != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", clientsFrom.ca);
            trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
        return context;
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
                                               boolean ca, GeneralNames alternatives) throws GeneralSecurityException,
            IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKey.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        if (alternatives != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(X509Certificate certificate) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n" + base64(certificate.getEncoded()) + "-----END CERTIFICATE-----\n";
    }

    private static String base64(byte[] der) {
        return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n";
    }
}
