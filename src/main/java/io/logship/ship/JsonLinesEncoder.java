package io.logship.ship;

import java.util.List;

import io.logship.event.EventBatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * TCP: puts a delivery's {@code json_lines} on the Netty channel without copying them, in writes of
 * LOGSTASH_BATCH_SIZE events (a whole upload batch is one delivery: one hand-over to Netty instead of one per wire
 * batch). UDP has {@link UdpDatagrams}.
 */
@ChannelHandler.Sharable
public class JsonLinesEncoder extends MessageToMessageEncoder<EventBatch> {

    private final int wireBatchEvents;

    /** @param wireBatchEvents LOGSTASH_BATCH_SIZE: a batch of more events goes out as several writes of this many */
    public JsonLinesEncoder(int wireBatchEvents) {
        this.wireBatchEvents = wireBatchEvents;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, EventBatch batch, List<Object> out) {
        for (int from = 0; from < batch.count(); from += wireBatchEvents) {
            int to = Math.min(batch.count(), from + wireBatchEvents);
            out.add(Unpooled.wrappedBuffer(batch.data(), batch.start(from), batch.start(to) - batch.start(from)));
        }
    }
}
