package io.logship.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.Logship;
import io.logship.auth.Authenticator;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

/**
 * The real logship (Camel main, the YAML routes, the beans) started in the test JVM on a free port
 * with a temporary DATA_DIR, and an HTTP client for its API.
 */
public final class LogshipApp implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;
    private final Path dataDir;

    private LogshipApp(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** @param settings logship properties (e.g. {@code logstash.port}); test defaults fill in the rest */
    public static LogshipApp start(Map<String, String> settings) throws Exception {
        Properties props = new Properties();
        int port = AvailablePortFinder.getNextAvailable();
        Path dataDir = Files.createTempDirectory("logship-test-");
        props.setProperty("http.port", String.valueOf(port));
        props.setProperty("data.dir", dataDir.toString());
        props.setProperty("jwt.secret", "test-secret-" + UUID.randomUUID() + "-0123456789abcdef");
        props.setProperty("logstash.retry.delay", "0.05");
        props.setProperty("logstash.timeout", "1");
        props.putAll(settings);
        Main main = Logship.newMain();
        main.setOverrideProperties(props);
        main.start();
        LogshipApp app = new LogshipApp(main, port, dataDir);
        app.awaitHttp();
        return app;
    }

    public static LogshipApp start(String... keyValues) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return start(settings);
    }

    private void awaitHttp() throws Exception {
        await(Duration.ofSeconds(30), () -> {
            try {
                return get("/api/v1/logs/uploads/none", null).statusCode() == 401;
            } catch (Exception e) {
                return false;
            }
        });
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /** A token signed with this instance's key. */
    public String token(String tenantId, String... roles) {
        return bean("authenticator", Authenticator.class)
                .issue(tenantId, List.of(roles), Instant.now().plusSeconds(3600));
    }

    public HttpResponse<String> upload(String token, String contentType, byte[] body, String query) throws IOException,
            InterruptedException {
        return post("/api/v1/logs/upload/" + (query == null ? "" : "?" + query), token, contentType,
                HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** A POST to any path, with any body (a publisher of unknown length is sent chunked). */
    public HttpResponse<String> post(String path, String token, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(60))
                .POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** multipart/form-data with a {@code file} part and text fields. */
    public HttpResponse<String> uploadMultipart(String token, String fileName, byte[] file, Map<String, String> fields,
                                                String query) throws IOException, InterruptedException {
        String boundary = "logship" + UUID.randomUUID();
        var out = new java.io.ByteArrayOutputStream();
        for (var field : fields.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (file != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes());
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes());
        return upload(token, "multipart/form-data; boundary=" + boundary, out.toByteArray(), query);
    }

    /** Uploads and waits for the final result ({@code ?wait=true}); fails unless 200. */
    public JsonNode uploadAndWait(String token, String contentType, byte[] body, String query) throws Exception {
        HttpResponse<String> response = upload(token, contentType, body, "wait=true" + (query == null ? "" : "&" + query));
        if (response.statusCode() != 200) {
            throw new AssertionError("upload answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token);
    }

    public HttpResponse<String> send(String method, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
        main.shutdown();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
