package io.logship.event;

import java.nio.charset.StandardCharsets;

/** Batches built by hand, as the encoder would write them. */
public final class EventBatchFixtures {

    private EventBatchFixtures() {
    }

    public static EventBatch twoEvents(String uploadId, String tenant) {
        String docs = "{\"@timestamp\":\"2023-07-01T00:00:00.000Z\",\"m\":1,\"tenant_id\":\"" + tenant + "\",\"upload_id\":\"" + uploadId
                + "\",\"event_id\":\"" + EventId.of(uploadId, 1) + "\"}\n"
                + "{\"@timestamp\":\"2023-07-01T00:00:00.000Z\",\"m\":2,\"tenant_id\":\"" + tenant + "\",\"upload_id\":\"" + uploadId
                + "\",\"event_id\":\"" + EventId.of(uploadId, 2) + "\"}\n";
        byte[] data = docs.getBytes(StandardCharsets.UTF_8);
        int first = docs.indexOf('\n') + 1;
        return new EventBatch(uploadId, tenant, data, data.length, new int[] {first, data.length}, new long[] {1, 2}, 2, 0, 0);
    }
}
