package io.logship.ship;

import java.net.InetSocketAddress;
import java.util.List;

import io.logship.event.EventBatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * UDP: a delivery's {@code json_lines} as datagrams of whole lines, each at most {@code LOGSTASH_UDP_MAX_BYTES}
 * and as full as the limit allows, without copying. An event larger than the limit never gets here:
 * {@link LogstashFrames} sends it by the fallback path.
 */
@ChannelHandler.Sharable
public class UdpDatagrams extends MessageToMessageEncoder<AddressedEnvelope<EventBatch, InetSocketAddress>> {

    private final int maxBytes;

    public UdpDatagrams(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean acceptOutboundMessage(Object message) {
        return message instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof EventBatch
                && envelope.recipient() instanceof InetSocketAddress;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AddressedEnvelope<EventBatch, InetSocketAddress> envelope,
                          List<Object> out) {
        EventBatch batch = envelope.content();
        int from = 0;
        int bytes = 0;
        for (int i = 0; i < batch.count(); i++) {
            int size = batch.documentBytes(i);
            if (i > from && bytes + size > maxBytes) {
                out.add(datagram(batch, from, i, envelope));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (from < batch.count()) {
            out.add(datagram(batch, from, batch.count(), envelope));
        }
    }

    private static DatagramPacket datagram(EventBatch batch, int from, int to,
                                           AddressedEnvelope<EventBatch, InetSocketAddress> envelope) {
        return new DatagramPacket(Unpooled.wrappedBuffer(batch.data(), batch.start(from), batch.start(to) - batch.start(from)),
                envelope.recipient(), envelope.sender());
    }
}
