package io.logship.ship;

import java.util.List;

import io.logship.event.EventBatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.DatagramPacketEncoder;

/**
 * Puts a batch's {@code json_lines} on the Netty channel without copying them. Wrapped in a
 * {@link DatagramPacketEncoder} for UDP, where the batch is one datagram.
 */
@ChannelHandler.Sharable
public class JsonLinesEncoder extends MessageToMessageEncoder<EventBatch> {

    @Override
    protected void encode(ChannelHandlerContext ctx, EventBatch batch, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(batch.data(), 0, batch.size()));
    }

    public static DatagramPacketEncoder<EventBatch> forUdp() {
        return new DatagramPacketEncoder<>(new JsonLinesEncoder());
    }
}
