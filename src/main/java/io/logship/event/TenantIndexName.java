package io.logship.event;

/** {@code logs-{tenant_id}-YYYY.MM}, from the event's wire {@code @timestamp}: the same on every path. */
public final class TenantIndexName {

    private TenantIndexName() {
    }

    /** @param wireTimestamp an {@link EventTimestamp#format} value, {@code 2024-03-05T...Z} */
    public static String of(String tenantId, String wireTimestamp) {
        return "logs-" + tenantId + "-" + wireTimestamp.substring(0, 4) + "." + wireTimestamp.substring(5, 7);
    }
}
