package io.logship.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.auth.Authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * logship as a process of its own (the test classpath's main) on a DATA_DIR that outlives it, for the tests that
 * kill it with -9 mid-upload and start it again. Uploads as one tenant; the data directory goes at close.
 */
public final class LogshipProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "logship-process-secret-0123456789abcdef0123456789";

    private final Map<String, String> env = new HashMap<>();
    private final Path dataDir = ServerScript.tempDirectory("logship-process-");
    private final String api;
    private final String token;
    private Process process;
    private int starts;

    /** @param settings environment variables on top of HTTP_PORT, DATA_DIR and JWT_SECRET */
    public LogshipProcess(String tenant, Map<String, String> settings) {
        int port = ServerScript.freePort();
        api = "http://127.0.0.1:" + port + "/api/v1/logs/";
        token = new Authenticator(SECRET).issue(tenant, List.of(), Instant.now().plusSeconds(3600));
        env.put("HTTP_PORT", String.valueOf(port));
        env.put("DATA_DIR", dataDir.toString());
        env.put("JWT_SECRET", SECRET);
        env.putAll(settings);
    }

    /** Starts it (again, on the same DATA_DIR) and returns once its API answers; its output goes to run-N.log there. */
    public void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.logship.Logship").redirectErrorStream(true).redirectOutput(dataDir.resolve("run-" + ++starts + ".log").toFile());
        builder.environment().putAll(env);
        process = builder.start();
        // a status request without a token: 401 once the API is up
        LogshipApp.await(Duration.ofSeconds(60), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(api + "uploads/x")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 401;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** SIGKILL: nothing of logship's own shutdown runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        process = null;
    }

    /** {@code events} NDJSON lines, {@code line(i)} for i = 1..events, as one upload; the upload id of its 202. */
    public String upload(int events, IntFunction<String> line) throws Exception {
        StringBuilder body = new StringBuilder(events * 64);
        for (int i = 1; i <= events; i++) {
            body.append(line.apply(i)).append('\n');
        }
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(api + "upload"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return LogshipApp.JSON.readTree(accepted.body()).get("upload_id").asText();
    }

    /** The upload's status; an empty object while the process cannot answer (it is being killed or started). */
    public JsonNode status(String uploadId) {
        try {
            return LogshipApp.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + "uploads/" + uploadId))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return LogshipApp.JSON.createObjectNode();
        }
    }

    /** Waits for the upload to complete, handing every status it reports on the way to {@code check}; its last status. */
    public JsonNode awaitCompleted(String uploadId, Duration timeout, Consumer<JsonNode> check) throws InterruptedException {
        LogshipApp.await(timeout, () -> {
            JsonNode now = status(uploadId);
            if (now.has("received")) {
                check.accept(now);
            }
            return "completed".equals(now.path("status").asText());
        });
        return status(uploadId);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
        ServerScript.deleteRecursively(dataDir);
    }
}
