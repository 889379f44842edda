package io.logship.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A raw upload's body as the route reads it, while it arrives: the upload is checked and written to disk as the
 * bytes come in, instead of after Camel's stream cache has first written the whole body to a file of its own. The
 * connection is paused while more than {@value #PAUSE_AT} bytes wait to be read, so memory stays bounded whatever
 * the upload's size. A body that ends early (the client gone, HTTP_BODY_TIMEOUT) is a refusal for the reader
 * (400 {@code incomplete_body}), never a short upload.
 */
final class StreamedBody extends InputStream {

    private static final int PAUSE_AT = 4 << 20;
    private static final int RESUME_AT = 1 << 20;

    private final HttpServerRequest request;
    private final Context eventLoop;
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    /** read position in the first chunk */
    private int position;
    private long waiting;
    private boolean paused;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    /** Takes the request's body from now on: call on its event loop before the handler returns. */
    StreamedBody(RoutingContext ctx) {
        this.request = ctx.request();
        this.eventLoop = ctx.vertx().getOrCreateContext();
        request.handler(this::arrived);
        request.endHandler(v -> ended());
        request.exceptionHandler(this::failed);
        // answered (what is left of the body is dropped) or the connection gone (a reader waiting fails)
        ctx.addEndHandler(done -> {
            if (done.failed()) {
                failed(done.cause());
            }
            close();
        });
    }

    private synchronized void arrived(Buffer chunk) {
        if (closed) {
            return;
        }
        chunks.add(chunk);
        waiting += chunk.length();
        if (waiting >= PAUSE_AT && !paused) {
            paused = true;
            request.pause();
        }
        notifyAll();
    }

    private synchronized void ended() {
        ended = true;
        notifyAll();
    }

    /** The connection closed, or the request was refused (408), before its end. */
    private synchronized void failed(Throwable cause) {
        if (!ended && failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (chunks.isEmpty()) {
            if (failure != null || closed) {
                // the client is gone, or was answered already (408): a refusal, not a failure of logship
                throw new ApiError(400, "incomplete_body", "the request ended before its body arrived whole"
                        + (failure != null ? ": " + failure.getMessage() : ""));
            }
            if (ended) {
                return -1;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the request body arrived");
            }
        }
        // every chunk that is here, up to len: the reader checks and writes in its own units, not the decoder's
        int n = 0;
        while (n < len && !chunks.isEmpty()) {
            Buffer first = chunks.peek();
            int part = Math.min(len - n, first.length() - position);
            first.getBytes(position, position + part, b, off + n);
            position += part;
            n += part;
            if (position == first.length()) {
                chunks.poll();
                position = 0;
            }
        }
        waiting -= n;
        if (paused && waiting <= RESUME_AT) {
            paused = false;
            eventLoop.runOnContext(v -> request.resume());
        }
        return n;
    }

    /**
     * Camel's platform-http pauses a request whose route reads the body itself (useBodyHandler: false); this body
     * is taken as it arrives, up to its bound, whether the route reads yet or not. Call on the event loop.
     */
    synchronized void flowing() {
        if (!paused) {
            request.resume();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    /** What is left of the body is dropped as it arrives: the answer does not wait for it. */
    @Override
    public synchronized void close() {
        closed = true;
        chunks.clear();
        waiting = 0;
        if (paused) {
            paused = false;
            eventLoop.runOnContext(v -> request.resume());
        }
        notifyAll();
    }
}
