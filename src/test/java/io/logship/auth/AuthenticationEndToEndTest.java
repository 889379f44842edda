package io.logship.auth;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.Events;
import io.logship.testing.LogshipApp;
import io.logship.testing.WithTcpLogstash;
import org.junit.jupiter.api.Test;

import static io.logship.testing.Events.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and tenants at the HTTP API: 401/403 with JSON bodies, and a tenant that comes from the token only. */
class AuthenticationEndToEndTest extends WithTcpLogstash {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static String issue(String tenantId, Instant expires, String... roles) {
        return app.bean("authenticator", Authenticator.class).issue(tenantId, List.of(roles), expires);
    }

    private static String algNone(String tenantId, String... roles) {
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"tenant_id\":\"" + tenantId + "\",\"roles\":" + LogshipApp.JSON.valueToTree(List.of(roles))
                + ",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    /** The upload must be refused with this status and a JSON error body, and nothing of it may arrive. */
    private void refusedUpload(String token, int status, String error) throws Exception {
        String marker = "auth-" + UUID.randomUUID();
        HttpResponse<String> response = app.upload(token, "text/plain", utf8(marker + "\n"), "wait=true");
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = LogshipApp.json(response);
        assertEquals(error, body.get("error").asText());
        assertFalse(body.get("detail").asText().isBlank());

        JsonNode good = app.uploadAndWait(app.token("acme"), "text/plain", utf8("ok\n"), null);
        Events.ofUpload(logstash, good.get("upload_id").asText(), 1);
        assertTrue(logstash.events().stream().noneMatch(e -> e.toString().contains(marker)), "refused upload forwarded");
    }

    @Test
    void noTokenIs401() throws Exception {
        refusedUpload(null, 401, "unauthorized");
    }

    @Test
    void garbageTokenIs401() throws Exception {
        refusedUpload("not-a-token", 401, "unauthorized");
    }

    @Test
    void tokenOfAnotherKeyIs401() throws Exception {
        String foreign = new Authenticator("some-other-secret-0123456789abcdef-0123")
                .issue("acme", List.of("admin"), Instant.now().plusSeconds(3600));
        refusedUpload(foreign, 401, "unauthorized");
    }

    @Test
    void badSignatureIs401() throws Exception {
        String token = app.token("acme");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        refusedUpload(tampered, 401, "unauthorized");
    }

    @Test
    void algNoneIs401() throws Exception {
        refusedUpload(algNone("acme", "admin"), 401, "unauthorized");
        HttpResponse<String> monitor = app.get("/api/v1/logs/logstash/monitor/", algNone("acme", "admin"));
        assertEquals(401, monitor.statusCode());
        assertEquals("unauthorized", LogshipApp.json(monitor).get("error").asText());
    }

    @Test
    void expiredTokenIs401() throws Exception {
        refusedUpload(issue("acme", Instant.now().minusSeconds(3600)), 401, "unauthorized");
    }

    @Test
    void tokenExpiredTenSecondsAgoIs401() throws Exception {
        refusedUpload(issue("acme", Instant.now().minusSeconds(10)), 401, "unauthorized");
    }

    @Test
    void missingOrInvalidTenantIs403() throws Exception {
        for (String tenant : new String[] {null, "Bad Tenant!", "../x", "ACME", "acme*", "logs-*"}) {
            refusedUpload(issue(tenant, Instant.now().plusSeconds(3600), "admin"), 403, "forbidden");
        }
    }

    @Test
    void statusResourceNeedsAValidTenantToo() throws Exception {
        HttpResponse<String> response = app.get("/api/v1/logs/uploads/abc", issue("../x", Instant.now().plusSeconds(3600)));
        assertEquals(403, response.statusCode());
        assertEquals("forbidden", LogshipApp.json(response).get("error").asText());
    }

    @Test
    void tenantInFormFieldQueryOrEventIsIgnored() throws Exception {
        String token = app.token("acme");
        HttpResponse<String> multipart = app.uploadMultipart(token, "spoof.log",
                utf8("{\"tenant_id\":\"globex\",\"message\":\"line tenant\"}\n"),
                Map.of("tenant_id", "globex", "tenant", "globex"), "wait=true&tenant_id=globex");
        assertEquals(200, multipart.statusCode(), multipart.body());
        HttpResponse<String> raw = app.upload(token, "application/x-ndjson",
                utf8("{\"tenant_id\":\"globex\",\"tenant\":\"globex\",\"message\":\"raw\"}\nplain\n"), "wait=true&tenant_id=globex");
        assertEquals(200, raw.statusCode(), raw.body());

        List<JsonNode> events = new java.util.ArrayList<>();
        events.addAll(Events.ofUpload(logstash, LogshipApp.json(multipart).get("upload_id").asText(), 1));
        events.addAll(Events.ofUpload(logstash, LogshipApp.json(raw).get("upload_id").asText(), 2));
        for (JsonNode event : events) {
            assertEquals("acme", event.get("tenant_id").asText(), event.toString());
        }
        assertEquals("line tenant", events.get(0).get("message").asText());
        assertEquals("globex", events.get(1).get("tenant").asText(), "an unrelated field of the event is kept as it was");

        // and the upload belongs to the token's tenant, not the claimed one
        String id = LogshipApp.json(raw).get("upload_id").asText();
        assertEquals(200, app.get("/api/v1/logs/uploads/" + id, token).statusCode());
        assertEquals(404, app.get("/api/v1/logs/uploads/" + id, app.token("globex")).statusCode());
    }
}
