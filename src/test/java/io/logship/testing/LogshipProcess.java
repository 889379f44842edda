package io.logship.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** logship as a process of its own (the test classpath's main), for the tests that kill it with -9 and start it again. */
public final class LogshipProcess {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LogshipProcess() {
    }

    /** Starts {@code io.logship.Logship} with {@code env} added to this JVM's environment; its output goes to {@code log}. */
    public static Process startLogship(Map<String, String> env, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.logship.Logship").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits until the API on {@code port} answers (a 401 to a status request without a token). */
    public static void awaitHttp(int port) throws InterruptedException {
        LogshipApp.await(Duration.ofSeconds(60), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/logs/uploads/x")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 401;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** GET with a token, as JSON; an empty object while the process cannot answer (it is being killed or started). */
    public static JsonNode get(String url, String token) {
        try {
            return LogshipApp.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return LogshipApp.JSON.createObjectNode();
        }
    }
}
