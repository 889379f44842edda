package io.logship.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A json_lines listener in its own JVM, for tests that kill Logstash with {@code kill -9}
 * ({@link Process#destroyForcibly()}): what the kernel held for it and it had not read dies with it. It appends
 * every byte it reads to a file, so the test sees what arrived even after the kill.
 */
public final class LogstashProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path received;

    private LogstashProcess(Process process, Path received) {
        this.process = process;
        this.received = received;
    }

    /** Starts the listener on 127.0.0.1:{@code port} and waits until it accepts connections. */
    public static LogstashProcess start(int port) throws Exception {
        return start(port, 0);
    }

    /**
     * @param stallAfterBytes &gt; 0: each connection stops reading once it has read this many bytes, so that a kill
     *                        that follows lands in the middle of an upload however fast logship is
     */
    public static LogstashProcess start(int port, long stallAfterBytes) throws Exception {
        Path received = Files.createTempDirectory("logstash-process-");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LogstashProcess.class.getName(), String.valueOf(port), received.toString(), String.valueOf(stallAfterBytes))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LogstashProcess logstash = new LogstashProcess(process, received);
        LogshipApp.await(Duration.ofSeconds(30), () -> {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the listener process ended with " + process.exitValue());
                }
                return false;
            }
        });
        return logstash;
    }

    /** The events received so far (a line cut by the kill is not an event). */
    public List<JsonNode> events() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (var files = Files.list(received)) {
            for (Path file : files.sorted().toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
                    if (!line.isEmpty()) {
                        events.add(JSON.readTree(line));
                    }
                }
            }
        }
        return events;
    }

    public int eventCount() throws IOException {
        return events().size();
    }

    /** {@code kill -9}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
        try (var files = Files.list(received)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(received);
    }

    /** The child process: accept, read, append what each connection brings to a file of its own. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long stallAfter = Long.parseLong(args[2]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            // a small buffer, as a busy Logstash's: what is in it when the process dies is lost
            server.setReceiveBufferSize(16384);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            for (int connection = 1; ; connection++) {
                Socket client = server.accept();
                Path file = Path.of(args[1], String.format("%06d.ndjson", connection));
                Thread reader = new Thread(() -> copy(client, file, stallAfter));
                reader.setDaemon(true);
                reader.start();
            }
        }
    }

    private static void copy(Socket client, Path file, long stallAfter) {
        try (InputStream in = client.getInputStream(); OutputStream out = new FileOutputStream(file.toFile())) {
            byte[] buf = new byte[16384];
            long left = stallAfter > 0 ? stallAfter : Long.MAX_VALUE;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                out.write(buf, 0, n);
                left -= n;
            }
            // stalled: the connection stays open, unread, until the process is killed
            while (left == 0) {
                Thread.sleep(60_000);
            }
        } catch (IOException ignored) {
            // the connection ends when logship closes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
