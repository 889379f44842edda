package io.logship.ship;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import jdk.net.ExtendedSocketOptions;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects a Logstash that stops taking data on a TCP connection. A write waits while the socket buffers are full;
 * if no byte of it leaves for {@code LOGSTASH_TIMEOUT} (a peer that stopped reading, or vanished from the network),
 * the write fails with {@link StalledPeerException} and the connection is dropped, so the batch is redelivered
 * instead of blocking its upload. A slow peer that keeps reading is not stalled: progress restarts the clock
 * (Netty's {@link IdleStateHandler} observing the output). TCP keep-alive probes after the same idle time find a
 * pooled connection whose peer vanished before the next batch is written to it.
 *
 * <p>One per channel (it keeps the channel's pending writes), hence the {@link #factory}.
 */
public class StalledPeerGuard extends IdleStateHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StalledPeerGuard.class);
    private static final int KEEPALIVE_PROBES = 3;

    private final String peer;
    private final long timeoutMillis;
    private final Runnable onStall;
    private final Queue<ChannelPromise> pending = new ArrayDeque<>();

    StalledPeerGuard(String peer, long timeoutMillis, Runnable onStall) {
        super(true, 0, timeoutMillis, 0, TimeUnit.MILLISECONDS);
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
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        keepAlive(ctx);
        super.handlerAdded(ctx);
    }

    private void keepAlive(ChannelHandlerContext ctx) {
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
        pending.add(promise);
        promise.addListener(done -> pending.remove(promise));
        super.write(ctx, msg, promise);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        // an idle pooled connection is fine; only a write that makes no progress is a stall
        if (pending.isEmpty()) {
            return;
        }
        StalledPeerException stalled = new StalledPeerException("Logstash at " + peer + " took no data for "
                + timeoutMillis + " ms (LOGSTASH_TIMEOUT): it stopped reading or is gone; connection dropped");
        LOG.warn(stalled.getMessage());
        onStall.run();
        for (ChannelPromise promise : pending.toArray(new ChannelPromise[0])) {
            promise.tryFailure(stalled);
        }
        ctx.close();
    }

    /** A write that made no progress for {@code LOGSTASH_TIMEOUT}. */
    public static class StalledPeerException extends IOException {
        public StalledPeerException(String message) {
            super(message);
        }
    }
}
