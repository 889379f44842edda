import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a run as Markdown: the results table, the ratios, the targets of the throughput issue met or not,
 * and the batch-size sweep.
 *
 *   Report results.tsv machine.txt out.md
 */
final class Report {

    private static final Map<String, String> WHAT = new LinkedHashMap<>();

    static {
        WHAT.put("baseline", "raw baseline: plain socket copy of the NDJSON file to the sink");
        WHAT.put("tcp", "logship, NDJSON upload -> TCP sink (batch 100)");
        WHAT.put("gzip", "logship, same NDJSON gzip-encoded (Content-Encoding: gzip)");
        WHAT.put("text", "logship, plain-text upload (loghub/*.log) -> TCP sink, time/level/fields parsed");
        WHAT.put("text-plain", "logship, the same text upload with format=plain (lines wrapped, not parsed)");
        WHAT.put("udp", "logship, NDJSON upload -> UDP sink");
        WHAT.put("http", "logship, NDJSON upload -> Logstash http input stand-in (a 200 per POST of 100 events)");
        WHAT.put("kafka", "logship, NDJSON upload -> Kafka (a local KRaft broker, acks=all, zstd), until acknowledged");
        WHAT.put("syslog-ng", "syslog-ng, TCP in -> TCP sink, lines forwarded as they are");
        WHAT.put("syslog-ng-json", "syslog-ng, TCP in -> json-parser -> format-json + 4 fields -> TCP sink");
        WHAT.put("rsyslog", "rsyslog, TCP in (imptcp) -> TCP sink (omfwd), lines forwarded as they are");
        WHAT.put("rsyslog-json", "rsyslog, TCP in -> mmjsonparse -> JSON + 4 fields -> TCP sink");
        WHAT.put("big", "logship, 1 GiB NDJSON upload, -Xmx256m (heap committed and touched at the start)");
        WHAT.put("es", "logship -> Elasticsearch (USE_LOGSTASH=false)");
        WHAT.put("es-bulk", "curl _bulk of logship's own documents (same indices, _ids, 1000 per request, one in flight)");
        WHAT.put("profile", "logship TCP run again, under JFR (settings=profile)");
    }

    public static void main(String[] args) throws Exception {
        Results r = Results.read(Path.of(args[0]));
        StringBuilder md = new StringBuilder();
        md.append("Machine:\n\n```\n").append(Files.readString(Path.of(args[1])).strip()).append("\n```\n\n");

        md.append("| scenario | what | events | seconds | events/s | MB/s in | peak RSS MB | heap live max MB | "
                + "logship CPU s (measured upload) | events per CPU-s | load at start | notes |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<String> names = new ArrayList<>(WHAT.keySet());
        r.byName.keySet().stream().filter(n -> !names.contains(n) && !n.equals("latency")).forEach(names::add);
        for (String name : names) {
            Map<String, String> x = r.get(name);
            if (x.isEmpty()) {
                continue;
            }
            double cpu = r.number(name, "cpu_s");
            double events = r.number(name, "events");
            md.append("| ").append(name).append(" | ").append(WHAT.getOrDefault(name, "logship, LOGSTASH_BATCH_SIZE=" + x.get("batch")))
                    .append(" | ").append(x.getOrDefault("events", "")).append(" | ").append(x.getOrDefault("seconds", ""))
                    .append(" | ").append(x.getOrDefault("events_per_s", "")).append(" | ").append(x.getOrDefault("mb_per_s", ""))
                    .append(" | ").append(x.getOrDefault("peak_rss_mb", "")).append(" | ").append(x.getOrDefault("heap_live_max_mb", ""))
                    .append(" | ").append(x.getOrDefault("cpu_s", "")).append(" | ")
                    .append(cpu > 0 && events > 0 ? String.format("%,.0f", events / cpu) : "")
                    .append(" | ").append(x.getOrDefault("load_at_start", "")).append(" | ").append(notes(x)).append(" |\n");
        }
        md.append('\n');

        double tcp = r.number("tcp", "events_per_s");
        double tcpMb = r.number("tcp", "mb_per_s");
        double baseline = r.number("baseline", "events_per_s");
        double syslog = r.number("syslog-ng", "events_per_s");
        double syslogJson = r.number("syslog-ng-json", "events_per_s");
        boolean esAvailable = "ok".equals(r.get("es").get("status"));
        double es = r.number("es", "events_per_s");
        double bulk = r.number("es-bulk", "events_per_s");
        double rsyslog = r.number("rsyslog", "events_per_s");
        double text = r.number("text", "events_per_s");
        double forwarder = Double.isNaN(syslog) ? rsyslog : Double.isNaN(rsyslog) ? syslog : Math.max(syslog, rsyslog);
        double tcpPerCpu = r.number("tcp", "events") / r.number("tcp", "cpu_s");
        md.append("Ratios: logship/baseline = ").append(ratio(tcp, baseline))
                .append("; logship/syslog-ng = ").append(ratio(tcp, syslog))
                .append("; logship/rsyslog = ").append(ratio(tcp, rsyslog))
                .append("; logship/syslog-ng-json = ").append(ratio(tcp, syslogJson))
                .append("; logship/rsyslog-json = ").append(ratio(tcp, r.number("rsyslog-json", "events_per_s")))
                .append("; gzip/tcp = ").append(ratio(r.number("gzip", "events_per_s"), tcp))
                .append("; udp/tcp = ").append(ratio(r.number("udp", "events_per_s"), tcp))
                .append("; http/tcp = ").append(ratio(r.number("http", "events_per_s"), tcp))
                .append("; kafka/tcp = ").append(ratio(r.number("kafka", "events_per_s"), tcp))
                .append("; logship ES/curl _bulk = ").append(esAvailable ? ratio(es, bulk) : "not available")
                .append(".\n\n");

        Map<String, String> lat = r.get("latency");
        Map<String, String> big = r.get("big");
        md.append("| target (2 cores) | measured | met? |\n|---|---|---|\n");
        target(md, "upload -> TCP, NDJSON >= 1.0x the faster of syslog-ng and rsyslog forwarding lines",
                fmt(tcp) + " vs " + fmt(forwarder) + " events/s", Double.isNaN(forwarder) ? null : tcp >= forwarder);
        target(md, "upload -> TCP, plain text >= 1.0x the same", fmt(text) + " vs " + fmt(forwarder) + " events/s",
                Double.isNaN(forwarder) || Double.isNaN(text) ? null : text >= forwarder);
        target(md, "upload -> TCP >= 500,000 events/s", fmt(tcp) + " events/s", tcp >= 500_000);
        target(md, ">= 300,000 events per CPU-second", fmt(tcpPerCpu), tcpPerCpu >= 300_000);
        target(md, "gzip >= 0.8x TCP", ratio(r.number("gzip", "events_per_s"), tcp), r.number("gzip", "events_per_s") >= 0.8 * tcp);
        target(md, "udp >= 0.8x TCP", ratio(r.number("udp", "events_per_s"), tcp), r.number("udp", "events_per_s") >= 0.8 * tcp);
        target(md, "Elasticsearch path >= 0.8x curl _bulk of the same documents", esAvailable ? ratio(es, bulk)
                : "not available: logship wrote 0 documents to Elasticsearch (" + fmt(bulk) + " events/s by _bulk)",
                esAvailable ? es / bulk >= 0.8 : null);
        if (!big.isEmpty()) {
            String[] rss = big.getOrDefault("rss_at_25_50_100_mb", "0/0/0").split("/");
            double growth = (Double.parseDouble(rss[2]) - Double.parseDouble(rss[0])) / Double.parseDouble(rss[0]);
            target(md, "1 GiB upload with -Xmx256m, flat memory", "completed (" + fmt(r.number("big", "events"))
                    + " events, " + big.get("events_per_s") + " events/s); RSS at 25/50/100 % of the events "
                    + big.get("rss_at_25_50_100_mb") + " MB, peak " + big.get("peak_rss_mb") + " MB, heap live max "
                    + big.get("heap_live_max_mb") + " MB", growth < 0.10);
        } else {
            target(md, "1 GiB upload with -Xmx256m, flat memory", "not run", null);
        }
        if (!lat.isEmpty()) {
            target(md, "single event, upload -> sink p50 <= 5 ms", lat.get("p50_ms") + " ms", r.number("latency", "p50_ms") <= 5);
            target(md, "single event, upload -> sink p99 <= 20 ms", lat.get("p99_ms") + " ms (max " + lat.get("max_ms")
                    + " ms; " + lat.get("events") + " sequential uploads after " + lat.get("warmup") + " warm-up; "
                    + "logship's 202 answer came after p50 " + lat.get("http_202_p50_ms") + " ms)",
                    r.number("latency", "p99_ms") <= 20);
        }
        md.append('\n');
        Files.writeString(Path.of(args[2]), md);
        System.out.print(md);
    }

    private static String notes(Map<String, String> x) {
        List<String> notes = new ArrayList<>();
        if (x.containsKey("received")) {
            notes.add("received/sent " + x.get("received") + "/" + x.get("sent") + " = " + x.get("received_ratio"));
            String uploaded = x.getOrDefault("uploaded", x.get("events"));
            if (!x.get("sent").equals(uploaded)) {
                notes.add("**logship counted " + x.get("sent") + " events sent for " + uploaded + " uploaded**");
            }
        }
        if (x.containsKey("gzip_bytes")) {
            notes.add(String.format("%.1f MB on the wire", Double.parseDouble(x.get("gzip_bytes")) / 1e6));
        }
        if (x.containsKey("runs_events_s")) {
            notes.add("median of " + x.get("runs_events_s").split(",").length + " runs (events/s: " + x.get("runs_events_s") + ")");
        }
        if (x.containsKey("warmup_events")) {
            notes.add("after warm-up uploads of " + x.get("warmup_events")
                    + (x.containsKey("warmup_events_s") ? " (events/s: " + x.get("warmup_events_s") + ")" : ""));
        }
        if (x.containsKey("first_event_s")) {
            notes.add("first event at the sink after " + x.get("first_event_s") + " s");
        }
        if (x.containsKey("rss_at_25_50_100_mb") && x.containsKey("jvm")) {
            notes.add("RSS at 25/50/100 % " + x.get("rss_at_25_50_100_mb") + " MB");
        }
        if ("not_available".equals(x.get("status"))) {
            notes.add("**not available**: " + x.get("note"));
        } else if (x.containsKey("note")) {
            notes.add(x.get("note"));
        }
        return String.join("; ", notes).replace("|", "\\|");
    }

    private static void target(StringBuilder md, String target, String measured, Boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ")
                .append(met == null ? "n/a" : met ? "**met**" : "**not met**").append(" |\n");
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format("%.3f", a / b);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
    }
}
