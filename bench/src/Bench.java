import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark driver: one scenario per call, each appending one result line to the results file.
 * bench/run.sh calls it scenario by scenario; see docs/BENCHMARKS.md.
 *
 *   gen        --data DIR --out DIR --events N [--big-bytes B]     make the input files
 *   logship    --name N --file F --events N [--protocol udp|http|kafka] [--batch B] [--content-type T] [--gzip]
 *              [--jvm "-Xmx256m ..."] [--env K=V,K=V] [--query "&k=v"]  upload F (curl), wait until the sink has every event
 *              [--warmup-events W [--warmup-rounds R]]              first: R uploads of F's first W events
 *              (kafka: --env KAFKA_BOOTSTRAP_SERVERS=...; until the upload's answer, once Kafka acknowledged all)
 *   latency    --count N [--warmup W]                               single-event uploads, upload -> sink
 *   baseline   --file F --events N                                  a plain socket copy of F to the same sink
 *   syslog-ng  --file F --events N --mode plain|json                syslog-ng forwarding F to the same sink
 *   rsyslog    --file F --events N --mode plain|json --root DIR     rsyslog (unpacked under DIR) doing the same
 *   es         --es URL --file F --events N --probe F               logship into Elasticsearch (USE_LOGSTASH=false)
 *   es-bulk    --es URL --file F --events N                         logship's documents of F by curl _bulk
 *   common: --jar target/logship.jar --work DIR --results FILE
 *   report, chart, jfr-top, write-docs, free-port: see those classes
 */
public final class Bench {

    private static final long MINUTES_30 = TimeUnit.MINUTES.toNanos(30);

    private final Map<String, String> args;
    private final Map<String, String> result = new LinkedHashMap<>();

    private final String loadAtStart = loadAverage();

    private Bench(Map<String, String> args) {
        this.args = args;
    }

    /** The 1-minute load average: a benchmark on a machine that is busy with something else reads low. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 1; i < argv.length; i++) {
            String key = argv[i].substring(2);
            boolean flag = i + 1 == argv.length || argv[i + 1].startsWith("--");
            args.put(key, flag ? "true" : argv[++i]);
        }
        Bench bench = new Bench(args);
        switch (argv[0]) {
            case "gen" -> bench.gen();
            case "logship" -> bench.logship();
            case "latency" -> bench.latency();
            case "baseline" -> bench.baseline();
            case "syslog-ng" -> bench.syslogNg();
            case "rsyslog" -> bench.rsyslog();
            case "es" -> bench.elasticsearch();
            case "es-bulk" -> bench.elasticsearchBulk();
            case "report" -> Report.main(Arrays.copyOfRange(argv, 1, argv.length));
            case "chart" -> Chart.main(Arrays.copyOfRange(argv, 1, argv.length));
            case "jfr-top" -> JfrTop.main(Arrays.copyOfRange(argv, 1, argv.length));
            case "write-docs" -> WriteDocs.main(Arrays.copyOfRange(argv, 1, argv.length));
            case "free-port" -> System.out.println(LogshipProcess.freePort());
            default -> throw new IllegalArgumentException("unknown scenario " + argv[0]);
        }
    }

    // ---------------------------------------------------------------- inputs

    private void gen() throws IOException {
        Path data = Path.of(args.get("data"));
        Path out = Path.of(args.get("out"));
        long events = Long.parseLong(args.get("events"));
        Path ndjson = DataFiles.repeat(List.of(data.resolve("loghub.ndjson")), events, 0, out.resolve("events.ndjson"));
        DataFiles.gzip(ndjson, out.resolve("events.ndjson.gz"));
        List<Path> logs;
        try (var files = Files.list(data.resolve("loghub"))) {
            logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        DataFiles.repeat(logs, events, 0, out.resolve("text.log"));
        DataFiles.repeat(List.of(data.resolve("loghub.ndjson")), 1000, 0, out.resolve("probe.ndjson"));
        long big = Long.parseLong(args.getOrDefault("big-bytes", "0"));
        if (big > 0) {
            DataFiles.repeat(List.of(data.resolve("loghub.ndjson")), 0, big, out.resolve("big.ndjson"));
        }
        System.out.println("inputs in " + out);
    }

    // ---------------------------------------------------------------- logship -> counting sink

    private void logship() throws Exception {
        Path file = Path.of(args.get("file"));
        long events = Long.parseLong(args.get("events"));
        String protocol = args.getOrDefault("protocol", "tcp");
        boolean udp = "udp".equals(protocol);
        boolean kafka = "kafka".equals(protocol);
        boolean gzip = args.containsKey("gzip");
        String batch = args.getOrDefault("batch", "100");
        try (CountingSink sink = udp ? CountingSink.udp() : "http".equals(protocol) ? CountingSink.http() : CountingSink.tcp();
             LogshipProcess logship = startLogship(sink, protocol, batch, sink.lines::get)) {
            warmUp(logship, sink, protocol);
            // --runs uploads measured one after the other: the figures are the median one's, the CPU their mean
            int runs = Integer.parseInt(args.getOrDefault("runs", "1"));
            long[] nanos = new long[runs];
            long[] firstEventNanos = new long[runs];
            long sent = 0;
            long received = 0;
            long datagrams = 0;
            double cpuBefore = logship.cpuSeconds();
            Map<String, Double> threadsBefore = logship.threadCpuSeconds();
            long windowStart = System.currentTimeMillis();
            for (int run = 0; run < runs; run++) {
                sink.reset();
                long start = System.nanoTime();
                CompletableFuture<LogshipProcess.Answer> response = logship.curl("&wait=true" + args.getOrDefault("query", ""),
                        args.getOrDefault("content-type", "application/x-ndjson"), gzip, file);
                long end;
                if (udp) {
                    String body = response.get(30, TimeUnit.MINUTES).body();
                    end = sink.awaitQuiet(TimeUnit.SECONDS.toNanos(1));
                    sent += number(body, "sent_logstash");
                    received += sink.lines.get();
                    datagrams += sink.datagrams.get();
                } else if (kafka) {
                    // with acks=all an upload completes once the broker has every record: its answer is the end
                    String body = check(response.get(30, TimeUnit.MINUTES)).body();
                    end = System.nanoTime();
                    long acknowledged = number(body, "sent_kafka");
                    if (acknowledged != events) {
                        throw new IllegalStateException("Kafka acknowledged " + acknowledged + " of " + events + " events: " + body);
                    }
                    sent += acknowledged;
                } else {
                    end = awaitSink(sink, events, response);
                    check(response.get(5, TimeUnit.MINUTES));
                }
                nanos[run] = end - start;
                firstEventNanos[run] = sink.firstNanos - start;
            }
            if (args.containsKey("jfr")) {
                // the profile covers the measured uploads only (see JfrTop)
                Files.writeString(Path.of(args.get("jfr") + ".window"), windowStart + " " + System.currentTimeMillis());
            }
            if (udp) {
                result.put("sent", String.valueOf(sent));
                result.put("received", String.valueOf(received));
                result.put("received_ratio", fmt(received / (double) Math.max(1, sent), 4));
                result.put("uploaded", String.valueOf(events * runs));
                result.put("datagrams", String.valueOf(datagrams));
            } else if (kafka) {
                result.put("sent", String.valueOf(sent));
            }
            int median = medianRun(events, nanos);
            if (!kafka) {
                result.put("first_event_s", fmt(firstEventNanos[median] / 1e9, 2));
            }
            long inputBytes = gzip ? Long.parseLong(args.getOrDefault("raw-bytes", "0")) : Files.size(file);
            throughput(events, inputBytes, nanos[median]);
            if (gzip) {
                result.put("gzip_bytes", String.valueOf(Files.size(file)));
            }
            if (!kafka) {
                result.put("sink_mb", fmt(sink.bytes.get() / 1e6, 1));
            }
            result.put("batch", batch);
            result.put("cpu_s", fmt((logship.cpuSeconds() - cpuBefore) / runs, 1));
            StringBuilder threads = new StringBuilder();
            logship.threadCpuSeconds().forEach((kind, seconds) -> threads.append(threads.length() == 0 ? "" : ",")
                    .append(kind).append(':').append(fmt((seconds - threadsBefore.getOrDefault(kind, 0.0)) / runs, 2)));
            result.put("cpu_s_by_thread", threads.toString());
            memory(logship, events);
        }
        report();
    }

    /**
     * The first events of the input (plain, even for the gzip run) uploaded once before the measured upload, so
     * that the figures are of the JIT-compiled steady state rather than of the first seconds of a JVM.
     */
    private void warmUp(LogshipProcess logship, CountingSink sink, String protocol) throws Exception {
        int events = Integer.parseInt(args.getOrDefault("warmup-events", "0"));
        if (events == 0) {
            return;
        }
        int rounds = Integer.parseInt(args.getOrDefault("warmup-rounds", "1"));
        Path source = Path.of(args.getOrDefault("warmup-file", args.get("file")));
        Path warmup = logship.work.resolve("warmup.input");
        try (var lines = Files.lines(source)) {
            Files.write(warmup, (Iterable<String>) lines.limit(events)::iterator);
        }
        try (var written = Files.lines(warmup)) {
            events = (int) written.count();   // a file shorter than the warm-up is uploaded whole
        }
        // each round's rate (until logship's answer to ?wait=true) shows how far the JIT still was from settled
        long[] nanos = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            check(logship.curl("&wait=true" + args.getOrDefault("query", ""),
                    args.getOrDefault("content-type", "application/x-ndjson"), false, warmup).get());
            nanos[round] = System.nanoTime() - start;
        }
        result.put("warmup_events_s", rates(events, nanos));
        Files.delete(warmup);
        if ("udp".equals(protocol)) {
            sink.awaitQuiet(TimeUnit.SECONDS.toNanos(1));
        } else if (!"kafka".equals(protocol)) {     // Kafka: the answer came once every record was acknowledged
            sink.awaitLines((long) events * rounds, TimeUnit.MINUTES.toNanos(5));
        }
        sink.reset();
        result.put("warmup_events", events + (rounds > 1 ? "x" + rounds : ""));
    }

    private LogshipProcess startLogship(CountingSink sink, String protocol, String batch,
                                        java.util.function.LongSupplier progress) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOGSTASH_PORT", String.valueOf(sink == null ? 9 : sink.port()));
        env.put("LOGSTASH_PROTOCOL", "kafka".equals(protocol) ? "tcp" : protocol);
        env.put("LOGSTASH_BATCH_SIZE", batch);
        if (args.containsKey("env")) {
            for (String pair : args.get("env").split(",")) {
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        List<String> jvm = new ArrayList<>();
        if (args.containsKey("jvm")) {
            jvm.addAll(Arrays.asList(args.get("jvm").trim().split("\\s+")));
        }
        if (args.containsKey("jfr")) {
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + args.get("jfr"));
        }
        Path work = Path.of(args.get("work")).resolve(name());
        deleteTree(work);
        result.put("name", name());
        return LogshipProcess.start(Path.of(args.getOrDefault("jar", "target/logship.jar")), work, env, jvm, progress);
    }

    /** Waits for the sink, but gives up at once when the upload itself failed. */
    private static long awaitSink(CountingSink sink, long events, CompletableFuture<LogshipProcess.Answer> response)
            throws Exception {
        long deadline = System.nanoTime() + MINUTES_30;
        while (!sink.waitFor(events, TimeUnit.MILLISECONDS.toNanos(100))) {
            if (response.isDone()) {
                check(response.get());  // a refused upload: no use waiting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink has " + sink.lines.get() + " of " + events + " events");
            }
        }
        return sink.lastNanos;
    }

    // ---------------------------------------------------------------- single-event latency

    private void latency() throws Exception {
        int count = Integer.parseInt(args.getOrDefault("count", "200"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "20"));
        List<String> events = Files.readAllLines(Path.of(args.get("file"))).subList(0, count + warmup);
        long[] arrival = new long[count];
        long[] answered = new long[count];
        try (CountingSink sink = CountingSink.tcp();
             LogshipProcess logship = startLogship(sink, "tcp", args.getOrDefault("batch", "100"), sink.lines::get)) {
            for (int i = 0; i < count + warmup; i++) {
                long before = sink.lines.get();
                long start = System.nanoTime();
                HttpResponse<String> response = LogshipProcess.HTTP.send(logship.upload("", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(events.get(i) + "\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long done = System.nanoTime();
                check(response);
                long at = sink.awaitLines(before + 1, TimeUnit.SECONDS.toNanos(30));
                if (i >= warmup) {
                    arrival[i - warmup] = at - start;
                    answered[i - warmup] = done - start;
                }
            }
            Arrays.sort(arrival);
            Arrays.sort(answered);
            result.put("events", String.valueOf(count));
            result.put("warmup", String.valueOf(warmup));
            result.put("p50_ms", fmt(percentile(arrival, 0.50) / 1e6, 2));
            result.put("p99_ms", fmt(percentile(arrival, 0.99) / 1e6, 2));
            result.put("max_ms", fmt(arrival[count - 1] / 1e6, 2));
            result.put("http_202_p50_ms", fmt(percentile(answered, 0.50) / 1e6, 2));
            memory(logship, 0);
        }
        report();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    // ---------------------------------------------------------------- raw socket copy

    private void baseline() throws Exception {
        Path file = Path.of(args.get("file"));
        long events = Long.parseLong(args.get("events"));
        result.put("name", name());
        int repeat = Integer.parseInt(args.getOrDefault("repeat", "3"));
        long[] nanos = new long[repeat];
        for (int i = 0; i < repeat; i++) {
            try (CountingSink sink = CountingSink.tcp()) {
                long start = System.nanoTime();
                copyToSocket(file, sink.port());
                nanos[i] = sink.awaitLines(events, MINUTES_30) - start;
            }
        }
        Arrays.sort(nanos);
        throughput(events, Files.size(file), nanos[repeat / 2]);
        result.put("note", "median of " + repeat);
        report();
    }

    private static void copyToSocket(Path file, int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
             InputStream in = Files.newInputStream(file);
             OutputStream out = socket.getOutputStream()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        }
    }

    // ---------------------------------------------------------------- syslog-ng and rsyslog forwarding the same file

    private void syslogNg() throws Exception {
        Path work = forwarderWork();
        int in = LogshipProcess.freePort();
        forward(work, in, sink -> {
            Files.writeString(work.resolve("syslog-ng.conf"), syslogNgConfig(in, sink.port(), args.getOrDefault("mode", "plain")));
            return new ProcessBuilder("syslog-ng", "-F", "--no-caps", "-f", work.resolve("syslog-ng.conf").toString(),
                    "-R", work.resolve("persist").toString(), "-p", work.resolve("pid").toString(),
                    "-c", work.resolve("ctl").toString());
        });
    }

    /** --root: rsyslog unpacked from its Debian package (dpkg -x): rsyslogd, its modules and libraries under it. */
    private void rsyslog() throws Exception {
        Path work = forwarderWork();
        Path root = Path.of(args.get("root")).toAbsolutePath();
        Path libs = root.resolve("usr/lib/x86_64-linux-gnu");
        int in = LogshipProcess.freePort();
        forward(work, in, sink -> {
            Files.writeString(work.resolve("rsyslog.conf"), rsyslogConfig(work, in, sink.port(), args.getOrDefault("mode", "plain")));
            ProcessBuilder rsyslogd = new ProcessBuilder(root.resolve("usr/sbin/rsyslogd").toString(), "-n",
                    "-f", work.resolve("rsyslog.conf").toString(), "-M", libs.resolve("rsyslog").toString(),
                    "-i", work.resolve("pid").toString());
            rsyslogd.environment().put("LD_LIBRARY_PATH", libs.toString());
            return rsyslogd;
        });
    }

    private Path forwarderWork() throws IOException {
        Path work = Path.of(args.get("work")).resolve(name()).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        result.put("name", name());
        return work;
    }

    private interface Forwarder {
        ProcessBuilder configure(CountingSink sink) throws Exception;
    }

    /** The forwarder listens on {@code in} and writes to the counting sink; the file is copied to it over TCP. */
    private void forward(Path work, int in, Forwarder forwarder) throws Exception {
        Path file = Path.of(args.get("file"));
        long events = Long.parseLong(args.get("events"));
        try (CountingSink sink = CountingSink.tcp()) {
            Path log = work.resolve("forwarder.log");
            Process process = forwarder.configure(sink).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitListening(in, process, log);
                // --runs copies of the file one after the other, as logship's measured uploads: the median one counts
                int runs = Integer.parseInt(args.getOrDefault("runs", "1"));
                long[] nanos = new long[runs];
                for (int run = 0; run < runs; run++) {
                    sink.reset();
                    long start = System.nanoTime();
                    copyToSocket(file, in);
                    nanos[run] = sink.awaitLines(events, MINUTES_30) - start;
                }
                throughput(events, Files.size(file), nanos[medianRun(events, nanos)]);
                result.put("peak_rss_mb", String.valueOf(peakRssMb(process.pid())));
                result.put("sink_mb", fmt(sink.bytes.get() / 1e6, 1));
            } finally {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        report();
    }

    /** plain: lines forwarded as they are. json: parsed and re-serialized with added fields, as logship does. */
    private static String syslogNgConfig(int in, int out, String mode) throws IOException, InterruptedException {
        Process version = new ProcessBuilder("syslog-ng", "--version").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Config version: (\\S+)").matcher(text);
        String configVersion = m.find() ? m.group(1) : "3.35";
        String template = mode.equals("json")
                ? "$(format-json --key .json.* --rekey .json.* --shift 6 tenant_id=bench source=bench"
                  + " event_id=${UNIQID} ingested_at=${R_ISODATE})\\n"
                : "$MSG\\n";
        return "@version: " + configVersion + "\n"
                + "options { threaded(yes); use-uniqid(yes); stats-freq(0); log-msg-size(1048576); keep-hostname(yes); };\n"
                + "source s_in { network(transport(\"tcp\") ip(\"127.0.0.1\") port(" + in + ") flags(no-parse)"
                + " log-iw-size(100000) log-fetch-limit(1000)); };\n"
                + (mode.equals("json") ? "parser p_json { json-parser(prefix(\".json.\")); };\n" : "")
                + "destination d_sink { network(\"127.0.0.1\" transport(\"tcp\") port(" + out + ")"
                + " template(\"" + template + "\") log-fifo-size(100000)); };\n"
                + "log { source(s_in); " + (mode.equals("json") ? "parser(p_json); " : "")
                + "destination(d_sink); flags(flow-control); };\n";
    }

    /**
     * The same for rsyslog: imptcp in, omfwd out over TCP, each line as it came (rawmsg); json: parsed by mmjsonparse
     * and written again with added fields.
     */
    private static String rsyslogConfig(Path work, int in, int out, String mode) {
        boolean json = mode.equals("json");
        return "global(maxMessageSize=\"1048576\" workDirectory=\"" + work + "\")\n"
                + "module(load=\"imptcp\")\n"
                + (json ? "module(load=\"mmjsonparse\")\n" : "")
                + "template(name=\"out\" type=\"string\" string=\"" + (json ? "%$!all-json-plain%" : "%rawmsg%") + "\\n\")\n"
                + "input(type=\"imptcp\" address=\"127.0.0.1\" port=\"" + in + "\" ruleset=\"forward\")\n"
                + "ruleset(name=\"forward\" queue.type=\"LinkedList\" queue.size=\"100000\" queue.dequeueBatchSize=\"1024\") {\n"
                + (json ? "  action(type=\"mmjsonparse\" cookie=\"\" useRawMsg=\"on\")\n"
                        + "  set $!tenant_id = \"bench\";\n  set $!source = \"bench\";\n"
                        + "  set $!event_id = $uuid;\n  set $!ingested_at = $$now-utc & \"T\" & $$hour-utc & \":\" & $$minute-utc;\n" : "")
                + "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + out + "\" protocol=\"tcp\" template=\"out\")\n"
                + "}\n";
    }

    private static void awaitListening(int port, Process process, Path log) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the forwarder exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the forwarder does not listen on " + port);
    }

    // ---------------------------------------------------------------- Elasticsearch

    private void elasticsearch() throws Exception {
        String es = args.get("es");
        long events = Long.parseLong(args.get("events"));
        args.put("env", "USE_LOGSTASH=false,ELASTICSEARCH_HOSTS=" + es);
        try (LogshipProcess logship = startLogship(null, "tcp", args.getOrDefault("batch", "100"),
                () -> esCount(es, "logs-bench-*"))) {
            // a small upload first: tells whether this logship writes to Elasticsearch at all
            String probe = check(LogshipProcess.HTTP.send(logship.upload("&wait=true", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of(args.get("probe")))).build(),
                    HttpResponse.BodyHandlers.ofString())).body();
            refresh(es);
            long probeCount = esCount(es, "logs-bench-*");
            if (number(probe, "sent_elasticsearch") == 0 || probeCount == 0) {
                result.put("status", "not_available");
                result.put("note", "probe of 1000 events: " + probeCount + " in Elasticsearch, logship answered "
                        + probe.replaceAll("[\\t\\n]", " ").replaceAll("\"errors\":\\[.*", ""));
            } else {
                long start = System.nanoTime();
                HttpResponse<String> response = LogshipProcess.HTTP.send(logship.upload("&wait=true", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofFile(Path.of(args.get("file")))).build(),
                        HttpResponse.BodyHandlers.ofString());
                check(response);
                long end = awaitEsCount(es, "logs-bench-*", probeCount + events);
                result.put("status", "ok");
                throughput(events, Files.size(Path.of(args.get("file"))), end - start);
            }
            memory(logship, 0);
        }
        report();
    }

    /**
     * curl posting logship's own documents to _bulk: the events of --file go through logship to a sink that keeps
     * them, then become create requests of ELASTICSEARCH_BULK_SIZE documents each (logship's request size) into the
     * indices logship writes, with its _ids, posted one at a time (one upload has one request in flight). The
     * indices are deleted afterwards, so that the es scenario writes into empty ones as well.
     */
    private void elasticsearchBulk() throws Exception {
        String es = args.get("es");
        Path file = Path.of(args.get("file"));
        long events = Long.parseLong(args.get("events"));
        int chunk = Integer.parseInt(args.getOrDefault("chunk", "1000"));
        Path work = Path.of(args.get("work")).resolve(name());
        deleteTree(work);
        Files.createDirectories(work);
        result.put("name", name());
        Path documents = work.resolve("documents.ndjson");
        try (CountingSink sink = CountingSink.tcp();
             LogshipProcess logship = startLogship(sink, "tcp", "100", sink.lines::get);
             java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(documents,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            sink.record = out;
            check(LogshipProcess.HTTP.send(logship.upload("&wait=true", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString()));
            sink.awaitLines(events, MINUTES_30);
            sink.record = null;
        }
        // the request bodies are made before the clock starts: only Elasticsearch's side is timed
        Pattern timestamp = Pattern.compile("\"@timestamp\":\"(\\d{4})-(\\d{2})");
        Pattern tenant = Pattern.compile("\"tenant_id\":\"([^\"]+)\"");
        Pattern eventId = Pattern.compile("\"event_id\":\"([^\"]+)\"");
        List<Path> bodies = new ArrayList<>();
        List<String> lines = Files.readAllLines(documents);
        for (int from = 0; from < lines.size(); from += chunk) {
            StringBuilder body = new StringBuilder();
            for (int i = from; i < Math.min(lines.size(), from + chunk); i++) {
                String doc = lines.get(i);
                Matcher t = timestamp.matcher(doc);
                Matcher n = tenant.matcher(doc);
                Matcher id = eventId.matcher(doc);
                if (!t.find() || !n.find() || !id.find()) {
                    throw new IllegalStateException("not a logship document: " + doc);
                }
                body.append("{\"create\":{\"_index\":\"logs-").append(n.group(1)).append('-').append(t.group(1)).append('.')
                        .append(t.group(2)).append("\",\"_id\":\"").append(id.group(1)).append("\"}}\n").append(doc).append('\n');
            }
            Path path = work.resolve("bulk-" + bodies.size() + ".ndjson");
            Files.writeString(path, body);
            bodies.add(path);
        }
        long start = System.nanoTime();
        for (Path body : bodies) {
            Process curl = new ProcessBuilder("curl", "-s", "-H", "Content-Type: application/x-ndjson",
                    "--data-binary", "@" + body, es + "/_bulk?filter_path=errors").redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (curl.waitFor() != 0 || !answer.contains("\"errors\":false")) {
                throw new IllegalStateException("_bulk failed: " + answer);
            }
        }
        long end = awaitEsCount(es, "logs-bench-*", events);
        throughput(events, Files.size(file), end - start);
        result.put("chunk", String.valueOf(chunk));
        Process delete = new ProcessBuilder("curl", "-s", "-X", "DELETE", es + "/logs-bench-*?expand_wildcards=all")
                .redirectErrorStream(true).start();
        delete.getInputStream().readAllBytes();
        delete.waitFor();
        report();
    }

    private static long awaitEsCount(String es, String index, long expected) throws Exception {
        long deadline = System.nanoTime() + MINUTES_30;
        while (esCount(es, index) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(index + " has " + esCount(es, index) + " of " + expected + " documents");
            }
            refresh(es);
        }
        return System.nanoTime();
    }

    private static void refresh(String es) throws IOException, InterruptedException {
        LogshipProcess.HTTP.send(HttpRequest.newBuilder(URI.create(es + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
    }

    private static long esCount(String es, String index) {
        try {
            String body = LogshipProcess.HTTP.send(HttpRequest.newBuilder(URI.create(es + "/" + index + "/_count"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return Math.max(0, number(body, "count"));
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- results

    private void throughput(long events, long inputBytes, long nanos) {
        double seconds = nanos / 1e9;
        result.put("events", String.valueOf(events));
        result.put("seconds", fmt(seconds, 3));
        result.put("events_per_s", String.valueOf(Math.round(events / seconds)));
        result.put("mb_per_s", fmt(inputBytes / 1e6 / seconds, 1));
    }

    private void memory(LogshipProcess logship, long events) throws Exception {
        result.put("peak_rss_mb", String.valueOf(logship.peakRssKb() / 1024));
        if (events > 0) {
            result.put("rss_at_25_50_100_mb", logship.rssAt(0.25, events) / 1024 + "/" + logship.rssAt(0.5, events) / 1024
                    + "/" + logship.rssAt(1.0, events) / 1024);
        }
        logship.close();
        long[] heap = logship.heapMb();
        result.put("heap_used_max_mb", String.valueOf(heap[0]));
        result.put("heap_live_max_mb", String.valueOf(heap[1]));
        result.put("heap_committed_max_mb", String.valueOf(heap[2]));
        if (args.containsKey("jvm")) {
            result.put("jvm", args.get("jvm"));
        }
    }

    private static long peakRssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** The run of median time; with several runs, every run's rate goes to the result too. */
    private int medianRun(long events, long[] nanos) {
        if (nanos.length > 1) {
            result.put("runs_events_s", rates(events, nanos));
        }
        Integer[] order = new Integer[nanos.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(nanos[a], nanos[b]));
        return order[nanos.length / 2];
    }

    /** Events per second of each run, comma separated. */
    private static String rates(long events, long[] nanos) {
        return Arrays.stream(nanos).mapToObj(n -> String.valueOf(events * 1_000_000_000L / n))
                .collect(java.util.stream.Collectors.joining(","));
    }

    private void report() throws IOException {
        result.put("load_at_start", loadAtStart);
        StringBuilder line = new StringBuilder();
        result.forEach((k, v) -> line.append(line.length() == 0 ? "" : "\t").append(k).append('=').append(v));
        System.out.println(line);
        if (args.containsKey("results")) {
            Files.writeString(Path.of(args.get("results")), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private String name() {
        return args.getOrDefault("name", "run");
    }

    private static LogshipProcess.Answer check(LogshipProcess.Answer answer) {
        if (answer.statusCode() >= 300 || answer.statusCode() < 200) {
            throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    private static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String fmt(double value, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
