package io.logship.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stands in for Logstash: a real TCP or UDP listener on loopback that decodes {@code json_lines} as
 * Logstash's codec does (split on newline, each line one JSON object) and keeps what arrived.
 */
public final class LogstashListener implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    // not a CopyOnWriteArrayList: that copies every event received so far on each arrival
    private final List<JsonNode> events = new ArrayList<>();
    private final List<Integer> datagramSizes = new CopyOnWriteArrayList<>();
    private final List<String> undecodable = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Thread thread;
    // faults, for the tests of stuck, resetting and slow peers
    private volatile boolean neverRead;
    private volatile long resetFirstConnectionAfter = -1;
    private final java.util.concurrent.atomic.AtomicBoolean resetDone = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int slowReadBytes;
    private volatile long slowReadPauseMillis;

    private LogstashListener(ServerSocket tcp, DatagramSocket udp) {
        this.tcp = tcp;
        this.udp = udp;
        this.thread = new Thread(tcp != null ? this::acceptTcp : this::receiveUdp, "logstash-listener");
        thread.setDaemon(true);
        thread.start();
    }

    public static LogstashListener tcp() throws IOException {
        return tcp(0);
    }

    public static LogstashListener tcp(int port) throws IOException {
        return tcp(port, 0);
    }

    /** @param receiveBuffer the kernel's receive buffer of accepted connections; 0: the system's (grows as needed) */
    public static LogstashListener tcp(int port, int receiveBuffer) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        if (receiveBuffer > 0) {
            // before bind: a buffer set later does not stop Linux from growing it
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new LogstashListener(socket, null);
    }

    /** A port where Logstash is down for now and can be started later with {@link #tcp(int)}. */
    public static int downPort() throws IOException {
        try (LogstashListener reserved = tcpOnReservablePort()) {
            return reserved.port();
        }
    }

    /**
     * A TCP listener on a port below the kernel's ephemeral range (32768 and up), for tests that close it and open
     * it again: while it is closed, no other socket on this shared machine gets that port by chance, neither a
     * listener bound to port 0 nor a connection's own source port (which would make a closed Logstash look up).
     */
    public static LogstashListener tcpOnReservablePort() throws IOException {
        java.util.Random random = new java.util.Random();
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return tcp(20000 + random.nextInt(10000));
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw last;
    }

    /** A TCP listener that speaks TLS, as Logstash's tcp input with {@code ssl_enabled}; with client authentication on demand. */
    public static LogstashListener tls(javax.net.ssl.SSLContext context, boolean needClientAuth) throws IOException {
        javax.net.ssl.SSLServerSocket socket = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(needClientAuth);
        return new LogstashListener(socket, null);
    }

    public static LogstashListener udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
        return new LogstashListener(null, socket);
    }

    /**
     * Accepts connections and never reads from them, as a Logstash whose pipeline is stuck; with a small receive
     * buffer, as little as the kernel allows is taken in.
     */
    public static LogstashListener neverReading() throws IOException {
        LogstashListener listener = tcp(0, 4096);
        listener.neverRead = true;
        return listener;
    }

    /** A listener with a small receive buffer (bytes), so a write waits on what this listener reads. */
    public static LogstashListener tcpWithSmallBuffer(int receiveBuffer) throws IOException {
        return tcp(0, receiveBuffer);
    }

    /**
     * The first connection to bring this many bytes is reset (RST) there; later ones are read normally. (Counted
     * in data, not connections: logship's reachability checks connect without sending.)
     */
    public LogstashListener resetFirstConnectionAfter(long bytes) {
        resetFirstConnectionAfter = bytes;
        return this;
    }

    /** Reads at most {@code bytes} at a time, pausing between reads: a slow Logstash that keeps reading. */
    public LogstashListener readSlowly(int bytes, long pauseMillis) {
        slowReadBytes = bytes;
        slowReadPauseMillis = pauseMillis;
        return this;
    }

    public int port() {
        return tcp != null ? tcp.getLocalPort() : udp.getLocalPort();
    }

    /** A snapshot of the events received so far, in arrival order. */
    public List<JsonNode> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    public int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    public List<Integer> datagramSizes() {
        return datagramSizes;
    }

    public List<String> undecodable() {
        return undecodable;
    }

    public int connections() {
        return connections.get();
    }

    public List<JsonNode> awaitEvents(int count, Duration timeout) throws InterruptedException {
        LogshipApp.await(timeout, () -> eventCount() >= count);
        return events();
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket client = tcp.accept();
                connections.incrementAndGet();
                clients.add(client);
                if (neverRead) {
                    continue;
                }
                Thread reader = new Thread(() -> readLines(client, resetFirstConnectionAfter), "logstash-listener-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void readLines(Socket client, long resetAfter) {
        try (InputStream in = client.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf, 0, slowReadBytes > 0 ? slowReadBytes : buf.length)) > 0) {
                total += n;
                if (resetAfter >= 0 && total >= resetAfter && resetDone.compareAndSet(false, true)) {
                    // what was read of this connection is dropped, as a Logstash that crashes mid-batch
                    client.setSoLinger(true, 0);
                    client.close();
                    return;
                }
                if (slowReadPauseMillis > 0) {
                    try {
                        Thread.sleep(slowReadPauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        decode(line.toByteArray(), 0, line.size());
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
            if (line.size() > 0) {
                // what Logstash's json_lines codec does with the rest of a closed connection: decode it (and tag it
                // _jsonparsefailure when it is a cut line)
                decode(line.toByteArray(), 0, line.size());
            }
        } catch (IOException ignored) {
            // the connection ends when logship or the test closes it
        }
    }

    private void receiveUdp() {
        byte[] buf = new byte[65536];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return;
            }
            datagramSizes.add(packet.getLength());
            int start = 0;
            for (int i = 0; i < packet.getLength(); i++) {
                if (buf[i] == '\n') {
                    decode(buf, start, i - start);
                    start = i + 1;
                }
            }
            if (start < packet.getLength()) {
                undecodable.add("datagram ends without a line break: " + new String(buf, start, packet.getLength() - start, StandardCharsets.UTF_8));
            }
        }
    }

    private void decode(byte[] data, int offset, int length) {
        try {
            JsonNode node = JSON.readTree(data, offset, length);
            if (node != null && node.isObject()) {
                synchronized (events) {
                    events.add(node);
                }
                return;
            }
        } catch (IOException ignored) {
            // recorded below
        }
        undecodable.add(new String(data, offset, length, StandardCharsets.UTF_8));
    }

    /**
     * Drops live connections too, as a Logstash that goes away does. Returns once the port refuses connections:
     * the kernel keeps a socket listening while the accept thread still waits on it, so a check right after
     * {@code ServerSocket.close()} could still connect on a busy machine.
     */
    @Override
    public void close() throws IOException {
        if (tcp != null) {
            tcp.close();
            awaitListenerThread();
            // after the join: a connection accepted just before the close is in the list too
            for (Socket client : clients) {
                try {
                    client.close();
                } catch (SocketException ignored) {
                    // already closed
                }
            }
        } else {
            udp.close();
            awaitListenerThread();
        }
    }

    private void awaitListenerThread() {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
