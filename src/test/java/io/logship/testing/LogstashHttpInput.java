package io.logship.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * Stands in for Logstash's {@code http} input: a real HTTP server that takes a JSON array of events per POST, as the
 * input's {@code json} codec does, appends each event as one line to a file and flushes it, and only then answers
 * 200, as the input answers only once the events are in its queue. On demand it answers 429 with Retry-After (every
 * {@code busyEvery} accepted requests, the next {@code busyBurst} ones), 400 to a batch holding {@link #REFUSE}, and
 * 401 without the expected basic auth. It runs in the test JVM or, to be killed with {@code kill -9}, as a process
 * of its own ({@link #launch}).
 */
public final class LogstashHttpInput implements AutoCloseable {

    static {
        // the JDK server's default leaves Nagle's algorithm on: with the client's delayed ACK each answer would wait 40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A batch holding this text is answered 400, as a Logstash input refuses a body it cannot take. */
    public static final String REFUSE = "refuse-me";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    public record Request(long nanos, int status, int events) {
    }

    public static final class Options {
        volatile int busyEvery;
        volatile int busyBurst;
        volatile int retryAfterSeconds = 1;
        String user;
        String password;
        SSLContext tls;
        boolean needClientAuth;

        public Options busy(int every, int burst, int retryAfterSeconds) {
            this.busyEvery = every;
            this.busyBurst = burst;
            this.retryAfterSeconds = retryAfterSeconds;
            return this;
        }

        public Options basicAuth(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Options tls(SSLContext context, boolean needClientAuth) {
            this.tls = context;
            this.needClientAuth = needClientAuth;
            return this;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Path file;
    private final OutputStream out;
    private final Options options;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger busyLeft = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private LogstashHttpInput(int port, Path file, Options options) throws IOException {
        this.file = file;
        this.options = options;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (Files.size(file) > 0 && endsTorn(file)) {
            // a run killed in the middle of a write: the next event starts on a line of its own
            out.write('\n');
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (options.tls != null) {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(options.tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = options.tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(options.needClientAuth);
                    params.setSSLParameters(parameters);
                }
            });
            server = https;
        } else {
            server = HttpServer.create(address, 50);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** In the test JVM, on a free port, recording to a temporary file. */
    public static LogstashHttpInput start(Options options) throws IOException {
        return new LogstashHttpInput(0, Files.createTempFile("logstash-http-", ".ndjson"), options);
    }

    /** On a given port (a Logstash that comes back where it was), recording to a temporary file. */
    public static LogstashHttpInput start(int port, Options options) throws IOException {
        return new LogstashHttpInput(port, Files.createTempFile("logstash-http-", ".ndjson"), options);
    }

    public static LogstashHttpInput start() throws IOException {
        return start(new Options());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path file() {
        return file;
    }

    public int eventCount() {
        return events.get();
    }

    public List<Request> requests() {
        return requests;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    /** From now on, after every {@code every} accepted requests the next {@code burst} get 429; 0: never. */
    public void busy(int every, int burst, int retryAfterSeconds) {
        options.retryAfterSeconds = retryAfterSeconds;
        options.busyBurst = burst;
        options.busyEvery = every;
    }

    /** The next {@code count} requests are answered 429 with Retry-After. */
    public void busyFor(int count) {
        busyLeft.set(count);
    }

    public void awaitEvents(int count, Duration timeout) throws InterruptedException {
        LogshipApp.await(timeout, () -> eventCount() >= count);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            if (options.user != null && !("Basic " + Base64.getEncoder().encodeToString(
                    (options.user + ":" + options.password).getBytes(StandardCharsets.UTF_8))).equals(authorization)) {
                answer(exchange, 401, "{\"error\":\"authentication required\"}", 0);
                return;
            }
            if (busy()) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(options.retryAfterSeconds));
                answer(exchange, 429, "{\"error\":\"queue full\"}", 0);
                return;
            }
            if (new String(body, StandardCharsets.UTF_8).contains(REFUSE)) {
                answer(exchange, 400, "{\"error\":\"cannot decode the body: " + REFUSE + "\"}", 0);
                return;
            }
            JsonNode array = JSON.readTree(body);
            if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type")) || !array.isArray()) {
                answer(exchange, 415, "{\"error\":\"a JSON array as application/json is expected\"}", 0);
                return;
            }
            StringBuilder lines = new StringBuilder(body.length + array.size());
            for (JsonNode event : array) {
                lines.append(JSON.writeValueAsString(event)).append('\n');
            }
            synchronized (out) {
                // one write, in the page cache before the 200: a kill -9 after it loses nothing acknowledged
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            events.addAndGet(array.size());
            int acceptedSoFar = accepted.incrementAndGet();
            if (options.busyEvery > 0 && acceptedSoFar % options.busyEvery == 0) {
                busyLeft.set(options.busyBurst);
            }
            answer(exchange, 200, "ok", array.size());
        }
    }

    private boolean busy() {
        return busyLeft.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    private void answer(HttpExchange exchange, int status, String body, int eventsTaken) throws IOException {
        requests.add(new Request(System.nanoTime(), status, eventsTaken));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }

    private static boolean endsTorn(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) != '\n';
        }
    }

    /**
     * The events recorded in the file (this run's and earlier runs' on the same file), one JSON object each. A line
     * torn by a kill -9 in the middle of a write (never acknowledged) is left out and counted in {@code torn}.
     */
    public static List<JsonNode> recorded(Path file, AtomicInteger torn) throws IOException {
        List<JsonNode> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                recorded.add(JSON.readTree(line));
            } catch (IOException tornLine) {
                torn.incrementAndGet();
            }
        }
        return recorded;
    }

    public static List<JsonNode> recorded(Path file) throws IOException {
        AtomicInteger torn = new AtomicInteger();
        List<JsonNode> recorded = recorded(file, torn);
        if (torn.get() > 0) {
            throw new AssertionError(torn + " torn lines in " + file + " though the stand-in was not killed");
        }
        return recorded;
    }

    /** Lines in the file so far, without parsing them. */
    public static long lines(Path file) throws IOException {
        long lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdownNow();
        synchronized (out) {
            out.close();
        }
    }

    /** A stand-in in a process of its own, on {@code port}, appending to {@code file}; ready when this returns. */
    public static Process launch(int port, Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LogstashHttpInput.class.getName(),
                String.valueOf(port), file.toString())
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.startsWith("READY")) {
            // the JVM's own output, if any
        }
        if (line == null) {
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IOException("the stand-in Logstash did not start (exit " + process.exitValue() + ")");
        }
        Thread drain = new Thread(() -> {
            try {
                output.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    public static void main(String[] args) throws Exception {
        LogstashHttpInput input = new LogstashHttpInput(Integer.parseInt(args[0]), Path.of(args[1]), new Options());
        System.out.println("READY " + input.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
