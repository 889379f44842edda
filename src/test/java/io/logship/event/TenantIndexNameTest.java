package io.logship.event;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TenantIndexNameTest {

    @Test
    void tenantAndMonthOfTheEventTimestamp() {
        assertEquals("logs-acme-2024.03", TenantIndexName.of("acme", "2024-03-05T10:15:30.000Z"));
        assertEquals("logs-acme-2024.12", TenantIndexName.of("acme", "2024-12-31T23:59:59.999Z"));
    }

    @Test
    void theMonthIsTheUtcMonthOfTheWireTimestamp() {
        // 23:30 on 31 January at UTC-02:00 is already February in UTC
        String wire = EventTimestamp.parse("2024-01-31T23:30:00-02:00");
        assertEquals("2024-02-01T01:30:00.000Z", wire);
        assertEquals("logs-t1-2024.02", TenantIndexName.of("t1", wire));
    }

    @Test
    void worksOnEveryFormattedInstant() {
        assertEquals("logs-a_b-c-2001.09", TenantIndexName.of("a_b-c", EventTimestamp.format(Instant.ofEpochSecond(1_000_000_000L))));
        assertEquals("logs-x-1970.01", TenantIndexName.of("x", EventTimestamp.format(Instant.EPOCH)));
    }
}
