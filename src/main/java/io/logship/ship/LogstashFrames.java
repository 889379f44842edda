package io.logship.ship;

import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;

/**
 * How an upload's batch is cut into deliveries, each one exchange through the redelivery policy and the fallback.
 * Over http a delivery is LOGSTASH_BATCH_SIZE events: one POST, one acknowledgement. Over TCP and UDP the whole upload
 * batch is one delivery, written in LOGSTASH_BATCH_SIZE writes by {@link JsonLinesEncoder} or packed into datagrams by
 * {@link UdpDatagrams} (neither acknowledges anything; one hand-over to Netty costs far less than one per wire batch
 * or datagram), unless LOGSTASH_LOADBALANCE=round_robin spreads wire batches over several hosts. An event larger
 * than a datagram is a delivery of its own, which the ship route sends to the fallback path (it is never truncated).
 */
public class LogstashFrames {

    private final boolean udp;
    private final boolean whole;
    private final int maxDatagramBytes;
    private final int frameEvents;

    public LogstashFrames(String protocol, int maxDatagramBytes, int frameEvents) {
        this(protocol, maxDatagramBytes, frameEvents, false);
    }

    /** @param spread round robin over several hosts: every wire batch is a delivery of its own */
    public LogstashFrames(String protocol, int maxDatagramBytes, int frameEvents, boolean spread) {
        this.udp = "udp".equalsIgnoreCase(protocol);
        this.whole = !spread && (udp || "tcp".equalsIgnoreCase(protocol));
        this.maxDatagramBytes = maxDatagramBytes;
        this.frameEvents = frameEvents;
    }

    public List<EventBatch> frames(EventBatch batch) {
        if (!udp || !anyOversized(batch)) {
            return deliveries(batch);
        }
        List<Integer> fitting = new ArrayList<>(batch.count());
        List<EventBatch> oversized = new ArrayList<>(0);
        for (int i = 0; i < batch.count(); i++) {
            if (batch.documentBytes(i) > maxDatagramBytes) {
                oversized.add(batch.slice(i, i + 1));
            } else {
                fitting.add(i);
            }
        }
        List<EventBatch> frames = new ArrayList<>(fitting.isEmpty() ? List.of() : deliveries(batch.select(fitting)));
        frames.addAll(oversized);
        return frames;
    }

    /** The usual case needs no list of indexes: every event fits a datagram. */
    private boolean anyOversized(EventBatch batch) {
        for (int i = 0; i < batch.count(); i++) {
            if (batch.documentBytes(i) > maxDatagramBytes) {
                return true;
            }
        }
        return false;
    }

    private List<EventBatch> deliveries(EventBatch batch) {
        if (whole || batch.count() <= frameEvents) {
            return List.of(batch);
        }
        List<EventBatch> frames = new ArrayList<>(batch.count() / frameEvents + 1);
        for (int from = 0; from < batch.count(); from += frameEvents) {
            frames.add(batch.slice(from, Math.min(batch.count(), from + frameEvents)));
        }
        return frames;
    }

    /** A frame that cannot go as one datagram: a single event larger than the limit. */
    public boolean oversized(EventBatch frame) {
        return udp && frame.count() == 1 && frame.size() > maxDatagramBytes;
    }
}
