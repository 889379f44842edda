package io.logship.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Elasticsearch node on a free loopback port, run by {@code scripts/elasticsearch.sh}
 * so that tests, local runs and {@code .ci/run} share one way of starting it.
 *
 * <pre>
 * try (ElasticsearchServer es = ElasticsearchServer.start("9.2.4")) {
 *     ... ELASTICSEARCH_HOSTS = es.url() ...
 *     assertEquals(3, es.count("logs-acme-*"));
 * }
 * </pre>
 *
 * {@link #startSecured} runs one with TLS and authentication, as an 8.x/9.x cluster runs by default; this
 * class's own requests then go over TLS as the superuser {@code admin}.
 */
public final class ElasticsearchServer implements AutoCloseable {

    // The first fetch downloads about 100 MB through Maven; later ones only check the unpacked copy.
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(15);
    // The script itself gives up after 90 s (ES_START_TIMEOUT); this only guards against a hang.
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    private final String version;
    private final int port;
    private final Path workdir;
    private final ServerScript script;
    private final Secured secured;
    private final HttpClient http;
    // A test that dies before close() must not leave a detached node behind for the next run.
    private final Thread stopOnExit = new Thread(this::stopQuietly, "elasticsearch-stop");
    private boolean stopped;

    /** The passwords of the file-realm users that {@code scripts/elasticsearch.sh start-secured} creates. */
    private record Secured(String adminPassword, String logshipPassword) {
    }

    private ElasticsearchServer(String version, int port, Path workdir, ServerScript script, Secured secured) {
        this.version = version;
        this.port = port;
        this.workdir = workdir;
        this.script = script;
        this.secured = secured;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (secured != null) {
            http.sslContext(trustingCa());
        }
        this.http = http.build();
    }

    /** Fetches the distribution if needed, starts it and returns once it answers. */
    public static ElasticsearchServer start(String version) {
        return start(version, freePort());
    }

    /** On a given port: a test that needs the address before the server is up. */
    public static ElasticsearchServer start(String version, int port) {
        return start(version, port, null);
    }

    /**
     * With TLS (a CA and a certificate for 127.0.0.1 made at start, {@link #caCertificate()}) and authentication:
     * the superuser {@code admin} and the user {@code logship} whose role grants what logship needs
     * ({@code create_doc} and {@code auto_configure} on {@code logs-*}, cluster {@code monitor}).
     */
    public static ElasticsearchServer startSecured(String version) {
        return start(version, freePort(), new Secured(UUID.randomUUID().toString(), UUID.randomUUID().toString()));
    }

    private static ElasticsearchServer start(String version, int port, Secured secured) {
        ServerScript script = ServerScript.find("elasticsearch.sh");
        // the script hands this directory to the logship-es user when run as root
        Path workdir = ServerScript.tempDirectory("logship-es-" + version + "-");
        try {
            script.run(FETCH_TIMEOUT, Map.of(), "fetch", version);
            if (secured == null) {
                script.run(START_TIMEOUT, Map.of(), "start", version, String.valueOf(port), workdir.toString());
            } else {
                // security's first start (its own index, the file realm) takes longer on a loaded machine
                script.run(START_TIMEOUT, Map.of("ES_ADMIN_PASSWORD", secured.adminPassword(),
                        "ES_LOGSHIP_PASSWORD", secured.logshipPassword(), "ES_START_TIMEOUT", "180"),
                        "start-secured", version, String.valueOf(port), workdir.toString());
            }
            ElasticsearchServer server = new ElasticsearchServer(version, port, workdir, script, secured);
            Runtime.getRuntime().addShutdownHook(server.stopOnExit);
            return server;
        } catch (RuntimeException e) {
            ServerScript.deleteRecursively(workdir);
            throw e;
        }
    }

    public String url() {
        return (secured == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    /** A secured node's CA certificate (PEM), which clients trust. */
    public Path caCertificate() {
        return workdir.resolve("config/ca/ca.crt");
    }

    /** A secured node's HTTP key and certificate chain (PKCS#12, empty password), for a stand-in on the same CA. */
    public Path httpKeystore() {
        return workdir.resolve("config/http.p12");
    }

    /** The password of the user {@code logship} of a secured node. */
    public String logshipPassword() {
        return secured.logshipPassword();
    }

    /** An {@code Authorization} header value for this node's superuser, {@code null} on a node without security. */
    public String adminAuthorization() {
        return secured == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + secured.adminPassword()).getBytes(StandardCharsets.UTF_8));
    }

    /** TLS that trusts this node's CA only. */
    public SSLContext trustingCa() {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String version() {
        return version;
    }

    /** The body of a GET; fails on any status other than 2xx. */
    public String get(String path) {
        return send("GET", path, null);
    }

    public String put(String path, String json) {
        return send("PUT", path, json);
    }

    public String post(String path, String json) {
        return send("POST", path, json);
    }

    /** Sends a request with an optional JSON body and returns the body; fails on any status other than 2xx. */
    public String send(String method, String path, String json) {
        HttpResponse<String> response = exchange(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Documents in an index, alias or pattern after a refresh, so that writes made just before
     * are counted. An index that does not exist counts 0.
     */
    public int count(String index) {
        if (exchange("POST", "/" + index + "/_refresh", null).statusCode() == 404) {
            return 0;
        }
        HttpResponse<String> response = exchange("GET", "/" + index + "/_count", null);
        if (response.statusCode() == 404) {
            return 0;
        }
        Matcher matcher = COUNT.matcher(response.body());
        if (response.statusCode() != 200 || !matcher.find()) {
            throw new IllegalStateException("_count on " + index + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** Whether this name is a data stream rather than an index (the _data_stream API is not in the integ-test zip). */
    public boolean isDataStream(String name) {
        return get("/_resolve/index/" + name).contains("\"data_streams\":[{\"name\":\"" + name + "\"");
    }

    /** Stops the node and deletes its data. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is what called us.
        }
        try {
            script.run(STOP_TIMEOUT, Map.of(), "stop", workdir.toString());
        } finally {
            ServerScript.deleteRecursively(workdir);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Elasticsearch " + version + " at " + url();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("Could not stop " + this + ": " + e.getMessage());
        }
    }

    private HttpResponse<String> exchange(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30));
        if (secured != null) {
            request.header("Authorization", adminAuthorization());
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url() + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** A free loopback port (for the tests that need an address before their server is up). */
    public static int freePort() {
        return ServerScript.freePort();
    }
}
