package io.logship.testing;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accounting invariant of an upload's status, checked at any read. */
public final class UploadCounts {

    private UploadCounts() {
    }

    /** received = sent (every sink) + spooled + rejected. */
    public static void assertBalanced(JsonNode status) {
        long parts = status.get("spooled").asLong() + status.get("rejected").asLong();
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) status::fields) {
            if (field.getKey().startsWith("sent_")) {
                parts += field.getValue().asLong();
            }
        }
        assertEquals(status.get("received").asLong(), parts, "received = sent + spooled + rejected: " + status);
    }
}
