package io.logship.ship;

import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;

/**
 * How an upload's batch is cut into deliveries. Over http a delivery is LOGSTASH_BATCH_SIZE events (one POST, one
 * acknowledgement). Over TCP the whole upload batch is one delivery, written in LOGSTASH_BATCH_SIZE writes by
 * {@link JsonLinesEncoder} (TCP acknowledges nothing either way; one hand-over to Netty costs far less than ten),
 * unless LOGSTASH_LOADBALANCE=round_robin spreads wire batches over several hosts.
 * A UDP datagram holds whole lines only
 * and never more than {@code maxDatagramBytes}; an event that alone exceeds it is its own frame, which the
 * ship route sends to the fallback path instead (it is never truncated).
 */
public class LogstashFrames {

    private final boolean udp;
    private final boolean tcp;
    private final int maxDatagramBytes;
    private final int frameEvents;

    public LogstashFrames(String protocol, int maxDatagramBytes, int frameEvents) {
        this(protocol, maxDatagramBytes, frameEvents, false);
    }

    /** @param spread round robin over several hosts: every wire batch is a delivery of its own, over TCP too */
    public LogstashFrames(String protocol, int maxDatagramBytes, int frameEvents, boolean spread) {
        this.udp = "udp".equalsIgnoreCase(protocol);
        this.tcp = "tcp".equalsIgnoreCase(protocol) && !spread;
        this.maxDatagramBytes = maxDatagramBytes;
        this.frameEvents = frameEvents;
    }

    public List<EventBatch> frames(EventBatch batch) {
        if (!udp) {
            if (tcp || batch.count() <= frameEvents) {
                return List.of(batch);
            }
            List<EventBatch> frames = new ArrayList<>(batch.count() / frameEvents + 1);
            for (int from = 0; from < batch.count(); from += frameEvents) {
                frames.add(batch.slice(from, Math.min(batch.count(), from + frameEvents)));
            }
            return frames;
        }
        List<EventBatch> frames = new ArrayList<>();
        int from = 0;
        int bytes = 0;
        for (int i = 0; i < batch.count(); i++) {
            int size = batch.documentBytes(i);
            if (i > from && bytes + size > maxDatagramBytes) {
                frames.add(batch.slice(from, i));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (from < batch.count()) {
            frames.add(from == 0 ? batch : batch.slice(from, batch.count()));
        }
        return frames;
    }

    /** A frame that cannot go as one datagram: a single event larger than the limit. */
    public boolean oversized(EventBatch frame) {
        return udp && frame.size() > maxDatagramBytes;
    }
}
