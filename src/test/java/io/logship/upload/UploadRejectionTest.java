package io.logship.upload;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 400 and 415: a refused upload is answered with JSON {"error", "detail"} and forwards nothing, not even its valid lines. */
class UploadRejectionTest extends WithTcpLogstash {

    private interface Upload {
        HttpResponse<String> send(String marker) throws Exception;
    }

    /**
     * Sends an upload whose lines carry a unique marker, expects the refusal, then proves the pipeline is
     * flowing with a good upload that arrives; by then nothing of the refused one may have arrived, and
     * nothing of it may be left on disk.
     */
    private JsonNode refused(int status, String error, Upload upload) throws Exception {
        String marker = "refused-" + UUID.randomUUID();
        HttpResponse<String> response = upload.send(marker);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = LogshipApp.json(response);
        assertEquals(error, body.get("error").asText(), response.body());
        assertTrue(body.get("detail").isTextual() && !body.get("detail").asText().isBlank(), response.body());
        assertEquals(2, body.size(), "exactly error and detail, no stack trace: " + response.body());

        JsonNode good = app.uploadAndWait(app.token("acme"), "text/plain", utf8("after " + marker + "\n"), null);
        Events.ofUpload(logstash, good.get("upload_id").asText(), 1);
        List<JsonNode> leaked = logstash.events().stream().filter(e -> e.toString().contains(marker) && !e.toString().contains("after " + marker)).toList();
        assertEquals(List.of(), leaked, "a refused upload forwards nothing");
        try (Stream<java.nio.file.Path> uploads = Files.list(app.dataDir().resolve("uploads"))) {
            for (java.nio.file.Path dir : uploads.toList()) {
                try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
                    for (java.nio.file.Path file : files.filter(Files::isRegularFile).toList()) {
                        assertTrue(!Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker),
                                "nothing of a refused upload is kept: " + file);
                    }
                }
            }
        }
        return body;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void invalidUtf8Is400NamingTheLine() throws Exception {
        JsonNode body = refused(400, "invalid_utf8", marker -> app.upload(app.token("acme"), "application/x-ndjson",
                concat(utf8("{\"m\":\"" + marker + " 1\"}\n{\"m\":\"" + marker + " 2\"}\n{\"m\":\"bad "),
                        new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}\n{\"m\":\"" + marker + " 4\"}\n")), null));
        assertTrue(body.get("detail").asText().contains("line 3"), body.toString());
    }

    /** Lines are counted only once a byte is refused: those already on disk and those before it in the last read. */
    @Test
    void invalidUtf8FarIntoALargeUploadNamesItsLine() throws Exception {
        JsonNode body = refused(400, "invalid_utf8", marker -> {
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 30_000; i++) {
                lines.append("{\"m\":\"").append(marker).append(' ').append(i).append("\"}\n");
            }
            return app.upload(app.token("acme"), "application/x-ndjson",
                    concat(utf8(lines.toString()), utf8("{\"m\":\"bad "), new byte[] {(byte) 0xFF}, utf8("\"}\n")), null);
        });
        assertTrue(body.get("detail").asText().endsWith("at line 30001"), body.toString());
    }

    @Test
    void invalidUtf8InAMultipartFileIs400NamingTheLine() throws Exception {
        JsonNode body = refused(400, "invalid_utf8", marker -> app.uploadMultipart(app.token("acme"), "latin1.log",
                concat(utf8(marker + "\n\n" + marker + "\n" + marker + " caf"), new byte[] {(byte) 0xE9}, utf8("\n")), Map.of(), null));
        assertTrue(body.get("detail").asText().contains("line 4"), body.toString());
    }

    @Test
    void overlongSurrogateAndTruncatedSequencesAre400() throws Exception {
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (byte[] sequence : bad) {
            JsonNode body = refused(400, "invalid_utf8", marker -> app.upload(app.token("acme"), "text/plain",
                    concat(utf8(marker + "\n"), sequence, utf8("\n")), null));
            assertTrue(body.get("detail").asText().contains("line 2"), body.toString());
        }
        JsonNode truncated = refused(400, "invalid_utf8", marker -> app.upload(app.token("acme"), "text/plain",
                concat(utf8(marker + "\n" + marker + " \ud83d\ude80"), new byte[] {(byte) 0xF0, (byte) 0x9F}), null));
        assertTrue(truncated.get("detail").asText().contains("line 2"), truncated.toString());
    }

    @Test
    void malformedJsonArrayIs400() throws Exception {
        for (String array : List.of(
                "[{\"m\":\"%s\"}, {\"m\": }]",
                "[{\"m\":\"%s\"}, {\"m\":\"x\"}",
                "[{\"m\":\"%s\"}] trailing",
                "[{\"m\":\"%s\"} {\"m\":\"x\"}]")) {
            refused(400, "malformed_json", marker -> app.upload(app.token("acme"), "application/json",
                    utf8(String.format(array, marker)), null));
        }
    }

    @Test
    void explicitJsonFormatThatIsNotAnArrayIs400() throws Exception {
        refused(400, "malformed_json", marker -> app.upload(app.token("acme"), "application/json",
                utf8("{\"m\":\"" + marker + "\"}\n"), "format=json"));
    }

    @Test
    void unknownFormatIs400() throws Exception {
        refused(400, "bad_format", marker -> app.upload(app.token("acme"), "text/plain", utf8(marker + "\n"), "format=xml"));
    }

    @Test
    void emptyUploadIs400() throws Exception {
        refused(400, "no_file", marker -> app.upload(app.token("acme"), "text/plain", new byte[0], "source=" + marker));
        refused(400, "no_file", marker -> app.uploadMultipart(app.token("acme"), marker + ".log", new byte[0], Map.of(), null));
    }

    @Test
    void corruptGzipIs400() throws Exception {
        refused(400, "bad_gzip", marker -> app.upload(app.token("acme"), "application/gzip", utf8(marker + "\n"), null));
    }

    @Test
    void unsupportedContentTypeIs415() throws Exception {
        for (String type : List.of("application/xml", "image/png", "application/x-www-form-urlencoded")) {
            JsonNode body = refused(415, "unsupported_media_type", marker -> app.upload(app.token("acme"), type,
                    utf8(marker + "=1\n"), null));
            assertTrue(body.get("detail").asText().contains(type), body.toString());
        }
    }

    @Test
    void authenticationComesBeforeTheContentIsLookedAt() throws Exception {
        // no token and a body that is not UTF-8: 401, not 400
        refused(401, "unauthorized", marker -> app.upload(null, "text/plain", concat(utf8(marker), new byte[] {(byte) 0xFF}), null));
        refused(401, "unauthorized", marker -> app.upload(null, "application/xml", utf8(marker), null));
    }
}
