package io.logship.ship;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesEncoderTest {

    private static EventBatch batch(String... documents) {
        StringBuilder data = new StringBuilder();
        int[] ends = new int[documents.length];
        long[] lines = new long[documents.length];
        for (int i = 0; i < documents.length; i++) {
            data.append(documents[i]).append('\n');
            ends[i] = data.length();
            lines[i] = i + 1;
        }
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        return new EventBatch("u", "t", bytes, bytes.length, ends, lines, documents.length, 0, 0);
    }

    private static List<String> writes(JsonLinesEncoder encoder, EventBatch batch) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(batch);
        List<String> writes = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; buf.release()) {
            writes.add(buf.toString(StandardCharsets.UTF_8));
        }
        channel.finishAndReleaseAll();
        return writes;
    }

    @Test
    void anUploadBatchGoesOutInWritesOfTheWireBatchSize() {
        EventBatch batch = batch("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}", "{\"e\":5}");
        assertEquals(List.of("{\"a\":1}\n{\"b\":2}\n", "{\"c\":3}\n{\"d\":4}\n", "{\"e\":5}\n"),
                writes(new JsonLinesEncoder(2), batch));
        assertEquals(List.of("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n{\"e\":5}\n"), writes(new JsonLinesEncoder(5), batch));
    }
}
