package io.logship.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.logship.event.EventBatch;

/** Batches of made-up json_lines documents for the shipping tests. */
public final class Documents {

    private Documents() {
    }

    /**
     * One document {@code {"m":"xxx"}\n} per size, padded to exactly that many bytes; lines from 10, resume point
     * offset 77, line 88.
     */
    public static EventBatch ofSizes(int... sizes) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] ends = new int[sizes.length];
        long[] lines = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            data.writeBytes(("{\"m\":\"" + "x".repeat(sizes[i] - 9) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            ends[i] = data.size();
            lines[i] = 10 + i;
        }
        byte[] bytes = data.toByteArray();
        return new EventBatch("u", "t", bytes, bytes.length, ends, lines, sizes.length, 77, 88);
    }
}
