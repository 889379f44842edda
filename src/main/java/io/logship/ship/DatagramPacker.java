package io.logship.ship;

import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;

/**
 * Cuts a batch into UDP datagrams: whole lines only and never more than {@code maxDatagramBytes}. An
 * event that alone exceeds it is a datagram of its own that the ship route sends to the fallback path
 * instead: it is never truncated.
 */
public class DatagramPacker {

    private final int maxDatagramBytes;

    public DatagramPacker(int maxDatagramBytes) {
        this.maxDatagramBytes = maxDatagramBytes;
    }

    public List<EventBatch> datagrams(EventBatch batch) {
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

    /** A single event larger than the limit. */
    public boolean oversized(EventBatch datagram) {
        return datagram.size() > maxDatagramBytes;
    }
}
