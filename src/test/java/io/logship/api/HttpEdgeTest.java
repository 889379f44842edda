package io.logship.api;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's HTTP edge against real sockets: nothing of a body is read before its token is checked, half requests
 * and stalled bodies are ended, connections and concurrent uploads are bounded, and every refusal is JSON.
 */
class HttpEdgeTest {

    static final int MAX_UPLOAD = 1 << 20;
    static final int MAX_CONNECTIONS = 350;

    static LogstashListener logstash;
    static LogshipApp app;

    @BeforeAll
    static void start() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start(Map.of("logstash.port", String.valueOf(logstash.port()),
                "max.upload.bytes", String.valueOf(MAX_UPLOAD),
                "http.header.timeout", "5", "http.body.timeout", "4",
                "http.max.connections", String.valueOf(MAX_CONNECTIONS),
                "max.concurrent.uploads", "2", "http.retry.after", "7",
                "tmp.sweep.interval", "0.5", "tmp.max.age", "60"));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    private static String multipartHead(String boundary, String token, long contentLength) {
        return "POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /** A multipart body whose file part never ends: no closing boundary, and the declared length is exact. */
    private static byte[] bodyEndingMidPart(String boundary, int fileBytes) {
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.log\"\r\n"
                + "Content-Type: text/plain\r\n\r\n";
        byte[] head = part.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + fileBytes];
        System.arraycopy(head, 0, body, 0, head.length);
        for (int i = head.length; i < body.length; i++) {
            body[i] = (byte) (i % 64 == 63 ? '\n' : 'x');
        }
        return body;
    }

    private static List<Path> tmpFiles() throws Exception {
        Path tmp = app.dataDir().resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.toList();
        }
    }

    private static void assertJsonError(RawHttp.Answer answer, int status, String error) throws Exception {
        assertEquals(status, answer.status(), answer.headers() + "\n" + answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.headers());
        JsonNode body = LogshipApp.JSON.readTree(answer.body());
        assertEquals(error, body.get("error").asText(), answer.body());
        assertFalse(body.get("detail").asText().isBlank(), answer.body());
    }

    @Test
    void multipartWithoutTokenIsRefusedBeforeItsBodyIsReadAndLeavesNothingOnDisk() throws Exception {
        String boundary = "b0undary";
        byte[] body = bodyEndingMidPart(boundary, 300_000);
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(multipartHead(boundary, null, body.length));
            client.send(java.util.Arrays.copyOf(body, 100_000));
            assertJsonError(client.answer(5000), 401, "unauthorized");
        }
        Thread.sleep(500);
        assertEquals(List.of(), tmpFiles(), "an unauthenticated client leaves nothing in DATA_DIR/tmp");
    }

    /** curl asks before any body over 1 MB and waits a second for the answer: it is due once the token is checked. */
    @Test
    void expectContinueIsAnsweredOnlyForAValidToken() throws Exception {
        String head = "POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Expect: 100-continue\r\nContent-Length: 6\r\n";
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(head + "Authorization: Bearer " + app.token("acme") + "\r\n\r\n");
            assertEquals(100, client.answer(500).status(), "100 Continue at once, before the body");
            client.send("hello\n");
            assertEquals(202, client.answer(5000).status());
        }
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(head + "\r\n");
            assertJsonError(client.answer(5000), 401, "unauthorized");
        }
    }

    @Test
    void multipartEndingMidPartWithATokenIsAnswered408AndItsFileDeleted() throws Exception {
        String boundary = "b1undary";
        byte[] body = bodyEndingMidPart(boundary, 200_000);
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(multipartHead(boundary, app.token("acme"), body.length)).send(body);
            assertJsonError(client.answer(15_000), 408, "request_timeout");
        }
        LogshipApp.await(Duration.ofSeconds(5), () -> {
            try {
                return tmpFiles().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void multipartOverMaxUploadBytesIsRefusedFromItsDeclaredLength() throws Exception {
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(multipartHead("x", app.token("acme"), 10L * MAX_UPLOAD));
            assertJsonError(client.answer(5000), 413, "payload_too_large");
        }
    }

    @Test
    void partialHeadersAreCutOffAfterTheHeaderTimeout() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                clients.add(new RawHttp(app.port()).send("POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
            }
            long start = System.nanoTime();
            for (RawHttp client : clients) {
                assertTrue(client.closedWithin(20_000), "a connection with half its headers is closed");
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
        assertEquals(202, app.upload(app.token("acme"), "text/plain", utf8("after slow headers\n"), null).statusCode());
    }

    @Test
    void stalledRawBodyIsAnswered408AndNothingIsKept() throws Exception {
        int uploadsBefore = uploadDirs();
        try (RawHttp client = new RawHttp(app.port())) {
            client.send("POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + app.token("acme")
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nstalled ");
            RawHttp.Answer answer = client.answer(15_000);
            assertJsonError(answer, 408, "request_timeout");
        }
        LogshipApp.await(Duration.ofSeconds(10), () -> uploadDirs() == uploadsBefore);
    }

    private static String rawHead(long contentLength) {
        return "POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + app.token("acme")
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void aRawBodyIsCheckedWhileItArrives() throws Exception {
        int uploadsBefore = uploadDirs();
        try (RawHttp client = new RawHttp(app.port())) {
            // the body is declared 900 kB long, but its fourth byte breaks UTF-8 and nothing more is sent:
            // the answer comes from those bytes, within the body timeout (4 s), not from the whole body
            client.send(rawHead(900_000));
            client.send(new byte[]{'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
            RawHttp.Answer answer = client.answer(3_000);
            assertJsonError(answer, 400, "invalid_utf8");
        }
        LogshipApp.await(Duration.ofSeconds(10), () -> uploadDirs() == uploadsBefore);
    }

    @Test
    void aRawBodyCutOffMidwayIsNeitherKeptNorForwarded() throws Exception {
        int uploadsBefore = uploadDirs();
        String marker = "cut-" + System.nanoTime();
        StringBuilder lines = new StringBuilder();
        while (lines.length() < 200_000) {
            lines.append("{\"message\":\"").append(marker).append("\"}\n");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            client.send(rawHead(lines.length() * 2L));
            client.send(lines.toString());
        }
        LogshipApp.await(Duration.ofSeconds(10), () -> uploadDirs() == uploadsBefore);
        JsonNode after = app.uploadAndWait(app.token("acme"), "text/plain", utf8("after the cut\n"), null);
        Events.ofUpload(logstash, after.get("upload_id").asText(), 1);
        assertTrue(logstash.events().stream().noneMatch(e -> e.toString().contains(marker)), "a body cut off forwards nothing");
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                clients.add(new RawHttp(app.port()));
            }
            Thread.sleep(300);
            try (RawHttp extra = new RawHttp(app.port())) {
                assertTrue(extra.closedWithin(2000), "connection " + (MAX_CONNECTIONS + 1) + " is closed");
            }
            assertFalse(clients.get(0).closedWithin(200), "the first connections are still open");
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
        LogshipApp.await(Duration.ofSeconds(10), () -> {
            try {
                return app.get("/api/v1/logs/uploads/none", app.token("acme")).statusCode() == 404;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void uploadsBeyondMaxConcurrentUploadsGet503WithRetryAfter() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                slow.add(new RawHttp(app.port()).send("POST /api/v1/logs/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + app.token("acme") + "\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 100\r\n\r\nslow"));
            }
            Thread.sleep(300);
            HttpResponse<String> refused = app.upload(app.token("acme"), "text/plain", utf8("third\n"), null);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("7", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("too_many_uploads", LogshipApp.json(refused).get("error").asText());
        } finally {
            for (RawHttp client : slow) {
                client.close();
            }
        }
        LogshipApp.await(Duration.ofSeconds(10), () -> {
            try {
                return app.upload(app.token("acme"), "text/plain", utf8("later\n"), null).statusCode() == 202;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void everyRefusalOfTheServerItselfIsJson() throws Exception {
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("GET /no/such/path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").answer(5000),
                    404, "not_found");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("GET /api/v1/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .answer(5000), 404, "not_found");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("GET /api/v1/logs/uploads/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .answer(5000), 414, "uri_too_long");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("GET /api/v1/logs/uploads/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + "e".repeat(9000) + "\r\n\r\n").answer(5000), 431, "headers_too_large");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("PUT /api/v1/logs/uploads/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .answer(5000), 401, "unauthorized");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("PUT /api/v1/logs/uploads/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + app.token("acme") + "\r\nConnection: close\r\n\r\n").answer(5000), 405, "method_not_allowed");
        }
        try (RawHttp client = new RawHttp(app.port())) {
            assertJsonError(client.send("garbage\r\n\r\n").answer(5000), 400, "bad_request");
        }
    }

    @Test
    void twoFilePartsAre400() throws Exception {
        String boundary = "twofiles";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.log\"\r\n\r\nfirst\n\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.log\"\r\n\r\nsecond\n\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> response = app.upload(app.token("acme"), "multipart/form-data; boundary=" + boundary,
                utf8(body), "wait=true");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("several_files", LogshipApp.json(response).get("error").asText());
    }

    @Test
    void requestHeadersAreNotUploadFields() throws Exception {
        try (RawHttp client = new RawHttp(app.port())) {
            String body = "{\"message\":\"headers are not fields\"}\n";
            RawHttp.Answer answer = client.send("POST /api/v1/logs/upload/?environment=prod HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + app.token("acme") + "\r\nContent-Type: application/x-ndjson\r\n"
                    + "wait: true\r\nsource: spoofed\r\nenvironment: spoofed\r\nformat: bogus\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).answer(10_000);
            assertEquals(202, answer.status(), "the header wait: true does not make the request wait: " + answer.body());
            String uploadId = LogshipApp.JSON.readTree(answer.body()).get("upload_id").asText();
            JsonNode event = Events.ofUpload(logstash, uploadId, 1).get(0);
            assertEquals("http", event.get("source").asText(), event.toString());
            assertEquals("prod", event.get("environment").asText(), "the query parameter counts: " + event);
        }
        JsonNode multipart = LogshipApp.json(app.uploadMultipart(app.token("acme"), "app.log", utf8("form fields count\n"),
                Map.of("source", "web-1", "environment", "staging"), "wait=true"));
        JsonNode event = Events.ofUpload(logstash, multipart.get("upload_id").asText(), 1).get(0);
        assertEquals("web-1", event.get("source").asText());
        assertEquals("staging", event.get("environment").asText());
    }

    @Test
    void deeplyNestedJsonIs400OrProcessedNever500() throws Exception {
        String deep = "[".repeat(1500) + "]".repeat(1500);
        HttpResponse<String> array = app.upload(app.token("acme"), "application/json", utf8("[{\"a\":" + deep + "}]"), "wait=true");
        assertEquals(400, array.statusCode(), array.body());
        assertEquals("malformed_json", LogshipApp.json(array).get("error").asText());

        String deepObject = "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
        HttpResponse<String> lines = app.upload(app.token("acme"), "application/x-ndjson", utf8(deepObject + "\n{\"ok\":1}\n"), "wait=true");
        assertTrue(lines.statusCode() == 200 || lines.statusCode() == 400, lines.statusCode() + " " + lines.body());
        JsonNode result = LogshipApp.json(lines);
        if (lines.statusCode() == 200) {
            assertEquals(2, result.get("received").asInt(), result.toString());
            assertEquals("completed", result.get("status").asText(), result.toString());
        }
    }

    @Test
    void orphansInTmpAreSwept() throws Exception {
        Path tmp = Files.createDirectories(app.dataDir().resolve("tmp"));
        Path orphan = Files.writeString(tmp.resolve("orphan-upload"), "left by a crash");
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minusSeconds(7200)));
        Path fresh = Files.writeString(tmp.resolve("fresh-upload"), "in use");
        LogshipApp.await(Duration.ofSeconds(10), () -> !Files.exists(orphan));
        assertTrue(Files.exists(fresh), "a file younger than TMP_MAX_AGE stays");
        Files.delete(fresh);
    }

    private static int uploadDirs() {
        Path uploads = app.dataDir().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(uploads)) {
            return (int) dirs.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void answersCarryNoInternals() throws Exception {
        HttpResponse<String> notFound = app.get("/api/v1/nothing", null);
        assertEquals(404, notFound.statusCode());
        assertNotNull(LogshipApp.json(notFound).get("error"));
    }
}
