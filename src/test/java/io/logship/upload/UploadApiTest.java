package io.logship.upload;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload API of DESIGN.md: multipart and raw bodies, query parameters, paths, the status resource. */
class UploadApiTest extends WithTcpLogstash {

    @Test
    void multipartWithFileSourceAndEnvironment() throws Exception {
        HttpResponse<String> response = app.uploadMultipart(app.token("acme"), "app.log",
                utf8("{\"message\":\"m1\"}\nm2\n"), Map.of("source", "checkout-service", "environment", "staging"), "wait=true");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = LogshipApp.json(response);
        assertEquals("checkout-service", result.get("source").asText());
        assertEquals("staging", result.get("environment").asText());
        List<JsonNode> events = Events.ofUpload(logstash, result.get("upload_id").asText(), 2);
        for (JsonNode event : events) {
            assertEquals("checkout-service", event.get("source").asText());
            assertEquals("staging", event.get("environment").asText());
            assertEquals("acme", event.get("tenant_id").asText());
        }
        assertEquals(List.of("m1", "m2"), events.stream().map(e -> e.get("message").asText()).toList());
    }

    @Test
    void multipartSourceDefaultsToTheFileNameWithoutItsPath() throws Exception {
        HttpResponse<String> response = app.uploadMultipart(app.token("acme"), "nginx-access.log", utf8("GET / 200\n"),
                Map.of(), "wait=true");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = LogshipApp.json(response);
        JsonNode event = Events.ofUpload(logstash, result.get("upload_id").asText(), 1).get(0);
        assertEquals("nginx-access.log", event.get("source").asText());
        assertFalse(event.has("environment"), "no environment given: none invented");
        assertFalse(result.has("environment"));

        HttpResponse<String> withPath = app.uploadMultipart(app.token("acme"), "C:\\logs\\win.log", utf8("x\n"), Map.of(), "wait=true");
        assertEquals(200, withPath.statusCode(), withPath.body());
        assertEquals("win.log", LogshipApp.json(withPath).get("source").asText());
    }

    @Test
    void multipartWithoutFilePartIs400() throws Exception {
        HttpResponse<String> response = app.uploadMultipart(app.token("acme"), null, null, Map.of("source", "s"), null);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("no_file", LogshipApp.json(response).get("error").asText());
        assertTrue(LogshipApp.json(response).has("detail"));
    }

    @Test
    void rawBodyTakesSourceAndEnvironmentFromTheQuery() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson", utf8("{\"a\":1}\n"),
                "source=billing%20batch&environment=prod-eu");
        JsonNode event = Events.ofUpload(logstash, result.get("upload_id").asText(), 1).get(0);
        assertEquals("billing batch", event.get("source").asText());
        assertEquals("prod-eu", event.get("environment").asText());
    }

    @Test
    void rawBodyWithoutSourceIsStillLabelled() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("hello\n"), null);
        JsonNode event = Events.ofUpload(logstash, result.get("upload_id").asText(), 1).get(0);
        assertFalse(event.get("source").asText().isBlank());
        assertEquals(result.get("source").asText(), event.get("source").asText());
    }

    @Test
    void trailingSlashIsOptionalOnEveryPath() throws Exception {
        String token = app.token("acme");
        HttpResponse<String> noSlash = app.post("/api/v1/logs/upload?wait=true", token, "text/plain",
                HttpRequest.BodyPublishers.ofString("no slash\n"));
        assertEquals(200, noSlash.statusCode(), noSlash.body());
        HttpResponse<String> slash = app.post("/api/v1/logs/upload/?wait=true", token, "text/plain",
                HttpRequest.BodyPublishers.ofString("slash\n"));
        assertEquals(200, slash.statusCode(), slash.body());

        String id = LogshipApp.json(noSlash).get("upload_id").asText();
        HttpResponse<String> status = app.get("/api/v1/logs/uploads/" + id, token);
        HttpResponse<String> statusSlash = app.get("/api/v1/logs/uploads/" + id + "/", token);
        assertEquals(200, status.statusCode(), status.body());
        assertEquals(200, statusSlash.statusCode(), statusSlash.body());
        assertEquals(LogshipApp.json(status), LogshipApp.json(statusSlash));

        String admin = app.token("ops", "admin");
        assertEquals(200, app.get("/api/v1/logs/logstash/monitor", admin).statusCode());
        assertEquals(200, app.get("/api/v1/logs/logstash/monitor/", admin).statusCode());
    }

    @Test
    void acceptedUploadIsProcessedInTheBackgroundAndItsStatusPolled() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            body.append("{\"i\":").append(i).append("}\n");
        }
        String token = app.token("acme");
        HttpResponse<String> response = app.upload(token, "application/x-ndjson", utf8(body.toString()), "source=async");
        assertEquals(202, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode accepted = LogshipApp.json(response);
        assertEquals("accepted", accepted.get("status").asText());
        String id = accepted.get("upload_id").asText();
        assertTrue(id.matches("[0-9a-f]{32}"), id);

        JsonNode[] last = new JsonNode[1];
        LogshipApp.await(Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> status = app.get("/api/v1/logs/uploads/" + id, token);
                assertEquals(200, status.statusCode(), status.body());
                last[0] = LogshipApp.json(status);
                String state = last[0].get("status").asText();
                assertTrue(List.of("accepted", "processing", "completed").contains(state), state);
                return state.equals("completed");
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        JsonNode done = last[0];
        assertEquals(id, done.get("upload_id").asText());
        assertEquals("async", done.get("source").asText());
        assertEquals(1000, done.get("received").asInt());
        assertEquals(1000, done.get("sent_logstash").asInt());
        assertEquals(0, done.get("sent_elasticsearch").asInt());
        assertEquals(0, done.get("spooled").asInt());
        assertEquals(0, done.get("rejected").asInt());
        assertTrue(done.get("errors").isArray() && done.get("errors").isEmpty());
        assertEquals(1000, Events.ofUpload(logstash, id, 1000).size());
    }

    @Test
    void onlyTheOwningTenantSeesAnUpload() throws Exception {
        JsonNode result = app.uploadAndWait(app.token("acme"), "text/plain", utf8("mine\n"), null);
        String id = result.get("upload_id").asText();

        HttpResponse<String> owner = app.get("/api/v1/logs/uploads/" + id, app.token("acme"));
        assertEquals(200, owner.statusCode());
        assertEquals(1, LogshipApp.json(owner).get("received").asInt());
        assertEquals("completed", LogshipApp.json(owner).get("status").asText());

        HttpResponse<String> other = app.get("/api/v1/logs/uploads/" + id, app.token("globex", "admin"));
        assertEquals(404, other.statusCode());
        JsonNode error = LogshipApp.json(other);
        assertEquals("not_found", error.get("error").asText());
        assertFalse(other.body().contains("acme"), "nothing of the owner leaks: " + other.body());

        HttpResponse<String> unknown = app.get("/api/v1/logs/uploads/00000000000000000000000000000000", app.token("acme"));
        assertEquals(404, unknown.statusCode());
        assertEquals(LogshipApp.json(other).get("error"), LogshipApp.json(unknown).get("error"),
                "another tenant's upload looks exactly like one that does not exist");

        assertEquals(401, app.get("/api/v1/logs/uploads/" + id, null).statusCode());
    }
}
