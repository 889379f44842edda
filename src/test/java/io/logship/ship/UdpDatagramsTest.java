package io.logship.ship;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;
import io.logship.testing.Documents;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpDatagramsTest {

    private static EventBatch batch(int... sizes) {
        return Documents.ofSizes(sizes);
    }

    @Test
    void datagramsHoldWholeLinesAsFullAsTheLimitAllows() {
        InetSocketAddress logstash = new InetSocketAddress("127.0.0.1", 5001);
        EventBatch batch = batch(40, 40, 20, 30, 100, 10, 90, 60, 40);
        EmbeddedChannel channel = new EmbeddedChannel(new UdpDatagrams(100));
        channel.writeOutbound(new DefaultAddressedEnvelope<>(batch, logstash));
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (DatagramPacket packet; (packet = channel.readOutbound()) != null; packet.release()) {
            assertEquals(logstash, packet.recipient());
            byte[] bytes = new byte[packet.content().readableBytes()];
            packet.content().readBytes(bytes);
            assertEquals('\n', bytes[bytes.length - 1], "a datagram ends at a line end");
            sizes.add(bytes.length);
            joined.writeBytes(bytes);
        }
        channel.finishAndReleaseAll();
        assertEquals(List.of(100, 30, 100, 100, 100), sizes, "40+40+20 | 30 (100 would not fit) | 100 | 10+90 | 60+40");
        assertTrue(sizes.stream().allMatch(size -> size <= 100));
        assertArrayEquals(batch.bytes(), joined.toByteArray(), "every byte once, in order");
    }
}
