import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * logship from the packaged jar, as an operator starts it: its own JVM, configured by environment variables,
 * with a GC log and optionally a JFR recording. Samples its resident memory while it runs.
 */
final class LogshipProcess implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final int httpPort;
    final String token;
    final Path work;
    private final Process process;
    private final Thread sampler;
    private volatile long peakRss;
    /** (events at the sink, VmRSS kB) pairs, for the flat-memory check of a long upload */
    final List<long[]> rssSamples = new ArrayList<>();

    private LogshipProcess(Process process, int httpPort, String token, Path work, LongSupplier progress) {
        this.process = process;
        this.httpPort = httpPort;
        this.token = token;
        this.work = work;
        this.sampler = new Thread(() -> sample(progress), "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * @param progress what the RSS samples are plotted against (events at the sink)
     */
    static LogshipProcess start(Path jar, Path work, Map<String, String> env, List<String> jvmOptions,
                                LongSupplier progress) throws IOException, InterruptedException, TimeoutException {
        Files.createDirectories(work);
        int port = freePort();
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:gc:file=" + work.resolve("gc.log"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("logship.log").toFile());
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("LOGSTASH_HOST", "127.0.0.1");
        builder.environment().put("DATA_DIR", work.resolve("data").toString());
        builder.environment().put("JWT_SECRET", secret);
        builder.environment().put("MAX_UPLOAD_BYTES", String.valueOf(4L << 30));
        builder.environment().putAll(env);
        LogshipProcess logship = new LogshipProcess(builder.start(), port, Jwt.hs256(secret, "bench", 86400), work, progress);
        try {
            logship.awaitReady();
        } catch (IllegalStateException exited) {
            // seen rarely on a busy machine: the JVM gone during start; one more try with a fresh port
            System.err.println("WARN " + exited.getMessage() + "; starting it once more");
            builder.environment().put("HTTP_PORT", String.valueOf(port = freePort()));
            logship = new LogshipProcess(builder.start(), port, logship.token, work, progress);
            logship.awaitReady();
        }
        return logship;
    }

    private void awaitReady() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("logship exited at start with " + process.exitValue() + "; see " + work.resolve("logship.log"));
            }
            try {
                // the upload-status route's own 404 (the server answers a JSON 404 too, before the routes are up)
                if (get("/api/v1/logs/uploads/ready").body().contains("no upload ready")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new TimeoutException("logship did not answer within 90 s; see " + work.resolve("logship.log"));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder upload(String query, String contentType) {
        return HttpRequest.newBuilder(uri("/api/v1/logs/upload?source=bench" + query))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .timeout(Duration.ofHours(1));
    }

    /** An upload's answer. */
    record Answer(int statusCode, String body) {
    }

    /**
     * An upload of a file as an operator sends one (the README's curl), from a process of its own. The JDK's
     * HttpClient in the bench's JVM took about a second more of the two cores to send 175 MB, time not spent in
     * logship.
     */
    java.util.concurrent.CompletableFuture<Answer> curl(String query, String contentType, boolean gzip, Path file)
            throws IOException {
        Path answer = Files.createTempFile(work, "answer", ".json");
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", answer.toString(), "-w", "%{http_code}",
                "-X", "POST", "-T", file.toString(), "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: " + contentType));
        if (gzip) {
            command.addAll(List.of("-H", "Content-Encoding: gzip"));
        }
        command.add(uri("/api/v1/logs/upload?source=bench" + query).toString());
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return curl.onExit().thenApply(done -> {
            try {
                String status = new String(done.getInputStream().readAllBytes()).trim();
                String body = Files.readString(answer);
                Files.delete(answer);
                return new Answer(status.matches("\\d{3}") ? Integer.parseInt(status) : 0, body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    long pid() {
        return process.pid();
    }

    private void sample(LongSupplier progress) {
        while (process.isAlive()) {
            long rss = statusKb("VmRSS");
            if (rss > 0) {
                synchronized (rssSamples) {
                    rssSamples.add(new long[] {progress.getAsLong(), rss});
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A field of /proc/PID/status in kB (VmHWM: the peak resident set since start), or -1. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has ended
        }
        return -1;
    }

    /** User + system CPU seconds the process has used so far (/proc/PID/stat, in clock ticks of 1/100 s). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * CPU seconds per kind of thread so far (/proc/PID/task: encode pool, Vert.x, Netty, the JIT compiler, GC),
     * for where a scenario's CPU went without a profiler attached.
     */
    Map<String, Double> threadCpuSeconds() {
        Map<String, Double> cpu = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                    cpu.merge(threadKind(name), seconds, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return cpu;
    }

    /** /proc shows a thread's name cut to 15 characters. */
    private static String threadKind(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "gc";
        }
        if (name.startsWith("vert.x-worker")) {
            return "vertx-worker";
        }
        if (name.startsWith("vert.x-eventloo")) {
            return "vertx-eventloop";
        }
        if (name.startsWith("Camel Thread")) {
            return "netty";
        }
        if (name.startsWith("Camel (camel-")) {
            return "camel-pools";   // the encode pool and the upload workers (their names are cut before the pool's)
        }
        return "other";
    }

    /** VmHWM read while the process still lives. */
    long peakRssKb() {
        long hwm = statusKb("VmHWM");
        if (hwm > 0) {
            peakRss = hwm;
        }
        return peakRss;
    }

    /** RSS (kB) when the sink had reached each fraction of {@code total} events. */
    long rssAt(double fraction, long total) {
        synchronized (rssSamples) {
            for (long[] s : rssSamples) {
                if (s[0] >= fraction * total) {
                    return s[1];
                }
            }
            return rssSamples.isEmpty() ? -1 : rssSamples.get(rssSamples.size() - 1)[1];
        }
    }

    /** {max heap used before a GC, max heap live after a GC, max committed} in MB, from -Xlog:gc. */
    long[] heapMb() throws IOException {
        Pattern pause = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long[] max = new long[3];
        for (String line : Files.readAllLines(work.resolve("gc.log"))) {
            Matcher m = pause.matcher(line);
            if (m.find()) {
                for (int i = 0; i < 3; i++) {
                    max[i] = Math.max(max[i], Long.parseLong(m.group(i + 1)));
                }
            }
        }
        return max;
    }

    @Override
    public void close() throws InterruptedException {
        peakRssKb();
        process.destroy();  // SIGTERM: Camel stops gracefully and a JFR recording is dumped
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        sampler.interrupt();
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
