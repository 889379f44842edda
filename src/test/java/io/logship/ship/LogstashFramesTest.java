package io.logship.ship;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;
import io.logship.testing.Documents;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogstashFramesTest {

    private static EventBatch batch(int... sizes) {
        return Documents.ofSizes(sizes);
    }

    @Test
    void tcpSendsABatchOfAtMostTheWireBatchSizeAsOneWrite() {
        LogstashFrames frames = new LogstashFrames("tcp", 100, 3);
        EventBatch batch = batch(500, 50, 800);
        assertEquals(List.of(batch), frames.frames(batch));
        assertFalse(frames.oversized(batch));
    }

    @Test
    void tcpTakesAnUploadBatchAsOneDelivery() {
        LogstashFrames frames = new LogstashFrames("tcp", 100, 2);
        EventBatch batch = batch(500, 50, 800, 20, 30);
        assertEquals(List.of(batch), frames.frames(batch), "JsonLinesEncoder writes it in wire batches");
    }

    @Test
    void tcpRoundRobinOverSeveralHostsDeliversEachWireBatchOnItsOwn() {
        LogstashFrames frames = new LogstashFrames("tcp", 100, 2, true);
        assertEquals(List.of(2, 2, 1), frames.frames(batch(500, 50, 800, 20, 30)).stream().map(EventBatch::count).toList());
    }

    @Test
    void httpCutsALargerBatchIntoWireBatchesInOrder() {
        LogstashFrames frames = new LogstashFrames("http", 100, 2);
        EventBatch batch = batch(500, 50, 800, 20, 30);
        List<EventBatch> cut = frames.frames(batch);
        assertEquals(List.of(2, 2, 1), cut.stream().map(EventBatch::count).toList());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        List<Long> lines = new ArrayList<>();
        for (EventBatch frame : cut) {
            assertFalse(frames.oversized(frame));
            assertEquals(88, frame.resumeLine(), "a frame belongs to the batch's checkpoint");
            joined.writeBytes(frame.bytes());
            for (int i = 0; i < frame.count(); i++) {
                lines.add(frame.line(i));
            }
        }
        assertArrayEquals(batch.bytes(), joined.toByteArray());
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L), lines);
    }

    @Test
    void udpTakesAnUploadBatchAsOneDeliveryForUdpDatagramsToPack() {
        LogstashFrames frames = new LogstashFrames("UDP", 100, 2);
        EventBatch batch = batch(40, 40, 20, 30, 100, 10, 90, 60, 40);
        assertEquals(List.of(batch), frames.frames(batch));
        assertFalse(frames.oversized(batch), "several events that each fit");
    }

    @Test
    void anEventLargerThanTheLimitIsAFrameOfItsOwnMarkedOversized() {
        LogstashFrames frames = new LogstashFrames("udp", 100, 100);
        List<EventBatch> cut = frames.frames(batch(30, 250, 30, 30));
        assertEquals(List.of(3, 1), cut.stream().map(EventBatch::count).toList());
        assertEquals(List.of(10L, 12L, 13L), List.of(cut.get(0).line(0), cut.get(0).line(1), cut.get(0).line(2)));
        assertFalse(frames.oversized(cut.get(0)));
        assertTrue(frames.oversized(cut.get(1)));
        assertEquals(250, cut.get(1).size());
        assertEquals(11, cut.get(1).line(0));
    }

    @Test
    void aBatchThatFitsIsSentAsIs() {
        LogstashFrames frames = new LogstashFrames("udp", 8192, 100);
        EventBatch batch = batch(100, 100);
        List<EventBatch> cut = frames.frames(batch);
        assertEquals(1, cut.size());
        assertSame(batch, cut.get(0));
    }
}
