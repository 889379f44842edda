package io.logship.ship;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import jdk.net.ExtendedSocketOptions;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects a Logstash that stops taking data on a TCP connection. A write waits while the socket buffers are full;
 * if no byte of it leaves for {@code LOGSTASH_TIMEOUT} (a peer that stopped reading, or vanished from the network),
 * the write fails with {@link StalledPeerException} and the connection is dropped, so the batch is redelivered
 * instead of blocking its upload. A slow peer that keeps reading is not stalled: each byte that leaves restarts the
 * clock (the progress of Netty's outbound buffer, looked at a few times per timeout). TCP keep-alive probes after the
 * same idle time find a
 * pooled connection whose peer vanished before the next batch is written to it.
 *
 * <p>One per channel (it keeps the channel's pending writes), hence the {@link #factory}.
 */
public class StalledPeerGuard extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StalledPeerGuard.class);
    private static final int KEEPALIVE_PROBES = 3;
    /** Looks at the progress this many times per timeout: a stall is found within 1.25 timeouts. */
    private static final int CHECKS_PER_TIMEOUT = 4;

    private final String peer;
    private final long timeoutMillis;
    private final Runnable onStall;
    // touched only on the channel's event loop
    private final Queue<ChannelPromise> pending = new ArrayDeque<>();
    private ScheduledFuture<?> check;
    private long lastProgressNanos;
    private long lastPendingBytes = -1;
    private long lastFlushProgress = -1;
    private Object lastCurrent;

    StalledPeerGuard(String peer, long timeoutMillis, Runnable onStall) {
        this.peer = peer;
        this.timeoutMillis = timeoutMillis;
        this.onStall = onStall;
    }

    /** @param onStall called when a stall is detected, before the batch's write fails (the host's circuit opens) */
    public static ChannelHandler factory(String peer, long timeoutMillis, Runnable onStall) {
        return new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new StalledPeerGuard(peer, timeoutMillis, onStall);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        int idleSeconds = (int) Math.max(1, timeoutMillis / 1000);
        ctx.channel().config().setOption(ChannelOption.SO_KEEPALIVE, true);
        try {
            ctx.channel().config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds);
            ctx.channel().config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), idleSeconds);
            ctx.channel().config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), KEEPALIVE_PROBES);
        } catch (RuntimeException unsupported) {
            // not every OS lets the probes be tuned; the system's keep-alive times then apply
            LOG.debug("TCP keep-alive times cannot be set here: {}", unsupported.toString());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // the caller's promise is failed by this guard with the reason; the write below then ends (closed
        // channel) on a promise of its own, so Netty does not complain that the caller's one failed already
        ChannelPromise write = ctx.newPromise();
        if (pending.isEmpty()) {
            lastProgressNanos = System.nanoTime();
        }
        pending.add(promise);
        write.addListener(done -> {
            pending.remove(promise);
            if (done.isSuccess()) {
                promise.trySuccess();
            } else {
                promise.tryFailure(done.cause());
            }
        });
        if (check == null) {
            scheduleCheck(ctx);
        }
        super.write(ctx, msg, write);
    }

    private void scheduleCheck(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> checkProgress(ctx), Math.max(1, timeoutMillis / CHECKS_PER_TIMEOUT),
                TimeUnit.MILLISECONDS);
    }

    private void checkProgress(ChannelHandlerContext ctx) {
        check = null;
        if (pending.isEmpty() || !ctx.channel().isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (progressed(ctx.channel().unsafe().outboundBuffer())) {
            lastProgressNanos = now;
        } else if (now - lastProgressNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
            stalled(ctx);
            return;
        }
        scheduleCheck(ctx);
    }

    /** Did bytes leave Netty's buffer for the socket since the last look? */
    private boolean progressed(ChannelOutboundBuffer buffer) {
        if (buffer == null) {
            return false;
        }
        Object current = buffer.current();
        long pendingBytes = buffer.totalPendingWriteBytes();
        long flushProgress = buffer.currentProgress();
        boolean changed = current != lastCurrent || pendingBytes != lastPendingBytes || flushProgress != lastFlushProgress;
        lastCurrent = current;
        lastPendingBytes = pendingBytes;
        lastFlushProgress = flushProgress;
        return changed;
    }

    private void stalled(ChannelHandlerContext ctx) {
        StalledPeerException stalled = new StalledPeerException("Logstash at " + peer + " took no data for "
                + timeoutMillis + " ms (LOGSTASH_TIMEOUT): it stopped reading or is gone; connection dropped");
        LOG.warn(stalled.getMessage());
        onStall.run();
        for (ChannelPromise promise : pending.toArray(new ChannelPromise[0])) {
            promise.tryFailure(stalled);
        }
        pending.clear();
        lastCurrent = null;
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    /** A write that made no progress for {@code LOGSTASH_TIMEOUT}. */
    public static class StalledPeerException extends IOException {
        public StalledPeerException(String message) {
            super(message);
        }
    }
}
