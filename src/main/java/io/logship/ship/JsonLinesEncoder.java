package io.logship.ship;

import java.util.List;

import io.logship.event.EventBatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DatagramPacketEncoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * Puts a batch's {@code json_lines} on the Netty channel without copying them. For UDP it is wrapped
 * in a {@link DatagramPacketEncoder}, which Netty does not allow to share between channels, so UDP
 * gets a factory that makes one per channel.
 */
@ChannelHandler.Sharable
public class JsonLinesEncoder extends MessageToMessageEncoder<EventBatch> {

    @Override
    protected void encode(ChannelHandlerContext ctx, EventBatch batch, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(batch.data(), 0, batch.size()));
    }

    public static DefaultChannelHandlerFactory forUdp() {
        JsonLinesEncoder lines = new JsonLinesEncoder();
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new DatagramPacketEncoder<>(lines);
            }
        };
    }
}
