import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for Logstash and only counts json_lines (newlines), so that what is measured is the sender.
 * TCP: any number of connections, one thread each. UDP: one socket; what the kernel drops is not counted.
 */
final class CountingSink implements AutoCloseable {

    final AtomicLong lines = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong datagrams = new AtomicLong();
    volatile long firstNanos;   // System.nanoTime() of the first line's arrival
    volatile long lastNanos;    // ... and of the latest one
    private volatile Thread waiter;   // the thread in waitFor, woken when the count reaches awaited
    private volatile long awaited;
    private final java.nio.channels.Channel channel;
    private final int port;
    /** when set, every byte received over TCP is also written here (one sender at a time) */
    volatile java.nio.channels.FileChannel record;

    private CountingSink(java.nio.channels.Channel channel, int port) {
        this.channel = channel;
        this.port = port;
    }

    static CountingSink tcp() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CountingSink sink = new CountingSink(server, server.socket().getLocalPort());
        daemon("sink-accept", () -> {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    daemon("sink-tcp", () -> sink.readTcp(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return sink;
    }

    /**
     * Logstash's http input: answers every POST 200 once its body is read, and counts the events of the JSON array
     * by logship's own {@code "event_id":} field (one per event).
     */
    static CountingSink http() throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        CountingSink sink = new CountingSink(new java.nio.channels.Channel() {
            public boolean isOpen() {
                return true;
            }

            public void close() {
                server.stop(0);
            }
        }, server.getAddress().getPort());
        byte[] marker = "\"event_id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int events = 0;
            for (int i = 0; i <= body.length - marker.length; i++) {
                if (body[i] == marker[0] && java.util.Arrays.equals(body, i, i + marker.length, marker, 0, marker.length)) {
                    events++;
                    i += marker.length - 1;
                }
            }
            sink.bytes.addAndGet(body.length);
            long now = System.nanoTime();
            if (sink.lines.getAndAdd(events) == 0 || sink.firstNanos == 0) {
                sink.firstNanos = now;
            }
            sink.lastNanos = now;
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "sink-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return sink;
    }

    static CountingSink udp() throws IOException {
        DatagramChannel socket = DatagramChannel.open();
        // as large as the kernel allows (net.core.rmem_max): a small buffer is where UDP loses events
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 64 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CountingSink sink = new CountingSink(socket, ((InetSocketAddress) socket.getLocalAddress()).getPort());
        daemon("sink-udp", () -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            while (socket.isOpen()) {
                try {
                    buf.clear();
                    socket.receive(buf);
                    sink.datagrams.incrementAndGet();
                    sink.count(buf, buf.position());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return sink;
    }

    // The sink shares the machine's cores with the sender it measures, so it reads into a direct buffer (a heap
    // buffer adds a copy of every byte) and counts newlines eight bytes at a time (by hand, 20 ms for 175 MB against
    // 45 ms a byte at a time).
    private void readTcp(SocketChannel client) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (client) {
            int n;
            while ((n = client.read(buf)) >= 0) {
                if (record != null) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        record.write(buf);
                    }
                }
                count(buf, n);
                buf.clear();
            }
        } catch (IOException ignored) {
            // the sender closed or the sink is closing
        }
    }

    private void count(ByteBuffer data, int length) {
        int newlines = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            // a byte of the word is '\n' where the xor leaves it zero: count the zero bytes without carries between them
            long word = data.getLong(i) ^ 0x0A0A0A0A0A0A0A0AL;
            long nonZero = ((word & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | word;
            newlines += Long.bitCount(~nonZero & 0x8080808080808080L);
        }
        for (; i < length; i++) {
            if (data.get(i) == '\n') {
                newlines++;
            }
        }
        bytes.addAndGet(length);
        if (newlines > 0) {
            long now = System.nanoTime();
            long before = lines.getAndAdd(newlines);
            if (before == 0 || firstNanos == 0) {
                firstNanos = now;
            }
            lastNanos = now;
            Thread waiting = waiter;
            if (waiting != null && before + newlines >= awaited) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** Forgets what arrived so far: after a warm-up upload. */
    void reset() {
        firstNanos = 0;
        lines.set(0);
        bytes.set(0);
        datagrams.set(0);
    }

    int port() {
        return port;
    }

    /** Waits until {@code expected} lines have arrived; returns the arrival time of the last one. */
    long awaitLines(long expected, long timeoutNanos) throws TimeoutException {
        if (!waitFor(expected, timeoutNanos)) {
            throw new TimeoutException("the sink has " + lines.get() + " of " + expected + " lines");
        }
        return lastNanos;
    }

    /** @return whether {@code expected} lines arrived within the time */
    boolean waitFor(long expected, long timeoutNanos) {
        // woken by the reading thread once the count is reached, instead of polling it, which cost CPU all along
        long deadline = System.nanoTime() + timeoutNanos;
        awaited = expected;
        waiter = Thread.currentThread();
        try {
            long left;
            while (lines.get() < expected) {
                if ((left = deadline - System.nanoTime()) <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, 10_000_000));
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    /** UDP: waits until nothing has arrived for {@code quietNanos}; returns the arrival time of the last line. */
    long awaitQuiet(long quietNanos) {
        long seen = -1;
        long since = System.nanoTime();
        while (System.nanoTime() - since < quietNanos) {
            long now = lines.get();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            }
            LockSupport.parkNanos(10_000_000);
        }
        return lastNanos;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
