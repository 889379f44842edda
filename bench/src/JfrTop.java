import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time and the allocations of a JFR recording go: CPU samples by top frame (self), by method on the
 * stack (total), by thread and by code area; allocation samples by class and by allocating method.
 *
 *   JfrTop recording.jfr [rows]
 *
 * When the driver left {@code recording.jfr.window} (epoch ms of the measured upload's start and end), only
 * events inside it count: JVM start-up and the warm-up upload are left out.
 */
final class JfrTop {

    private static final Set<String> BLOCKING = Set.of("jdk.FileWrite", "jdk.FileRead", "jdk.SocketWrite",
            "jdk.SocketRead", "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadSleep");
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("io.logship.", "logship beans");
        AREAS.put("com.fasterxml.jackson.", "Jackson");
        AREAS.put("org.apache.camel.", "Camel");
        AREAS.put("io.netty.", "Netty");
        AREAS.put("io.vertx.", "Vert.x");
        AREAS.put("com.nimbusds.", "JWT");
        AREAS.put("org.apache.logging.", "log4j");
        AREAS.put("java.time.", "java.time");
        AREAS.put("java.util.regex.", "regex");
        AREAS.put("java.util.zip.", "zip");
        AREAS.put("sun.nio.", "JDK I/O");
        AREAS.put("java.io.", "JDK I/O");
        AREAS.put("java.nio.", "JDK I/O");
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        Map<String, Long> natives = new HashMap<>();
        Map<String, Long> blocked = new HashMap<>();
        long nativeSamples = 0;
        long samples = 0;
        long allocated = 0;
        long gcNanos = 0;
        int gcs = 0;
        Path window = Path.of(args[0] + ".window");
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        if (java.nio.file.Files.exists(window)) {
            String[] times = java.nio.file.Files.readString(window).trim().split(" ");
            from = Long.parseLong(times[0]);
            to = Long.parseLong(times[1]);
            System.out.printf("measured upload only: %.1f s of the recording%n", (to - from) / 1000.0);
        }
        Map<String, Long> selfByCaller = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            long at = event.getStartTime().toEpochMilli();
            if (at < from || at > to) {
                continue;
            }
            String type = event.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                List<RecordedFrame> frames = frames(event.getStackTrace());
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                add(self, method(frames.get(0)), 1);
                add(selfByCaller, firstOwnFrame(frames), 1);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    if (seen.add(method(frame))) {
                        add(total, method(frame), 1);
                    }
                }
                add(areas, area(frames), 1);
                add(threads, event.getThread("sampledThread").getJavaName().replaceAll("\\d+", "#"), 1);
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocated += weight;
                add(allocClass, event.getClass("objectClass").getName(), weight);
                add(allocSite, firstOwnFrame(frames(event.getStackTrace())), weight);
            } else if (type.equals("jdk.NativeMethodSample")) {
                List<RecordedFrame> frames = frames(event.getStackTrace());
                if (!frames.isEmpty()) {
                    nativeSamples++;
                    add(natives, event.getThread("sampledThread").getJavaName().replaceAll("\\d+", "#") + " in "
                            + method(frames.get(0)) + " <- " + firstOwnFrame(frames), 1);
                }
            } else if (BLOCKING.contains(type)) {
                add(blocked, type.substring(4) + " in " + firstOwnFrame(frames(event.getStackTrace())),
                        event.getDuration().toMillis());
            } else if (type.equals("jdk.GarbageCollection")) {
                gcs++;
                gcNanos += event.getDuration().toNanos();
            }
        }
        System.out.printf("%d CPU samples, %d GCs taking %.2f s in all, %.1f GB allocated (sampled estimate)%n%n",
                samples, gcs, gcNanos / 1e9, allocated / 1e9);
        print("CPU by code area (top frame's owner; JDK frames count for the caller that is not JDK)", areas, samples, rows);
        print("CPU by thread", threads, samples, rows);
        print("CPU self (top frame)", self, samples, rows);
        print("CPU self, JDK frames counted for their first non-JDK caller", selfByCaller, samples, rows);
        print("CPU total (method anywhere on the stack)", total, samples, rows);
        print("Threads waiting in native code (sockets, files, epoll): jdk.NativeMethodSample", natives, nativeSamples, rows);
        System.out.println("## Blocking over JFR's thresholds, milliseconds in all, by kind and first non-JDK frame");
        blocked.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf("%8d ms  %s%n", e.getValue(), e.getKey()));
        System.out.println();
        print("Allocation by class", allocClass, allocated, rows);
        print("Allocation by allocating method (first frame outside java.*/jdk.*)", allocSite, allocated, rows);
    }

    private static List<RecordedFrame> frames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The first frame from the top that belongs to a known area, so that JDK helpers count for their caller. */
    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> area : AREAS.entrySet()) {
                if (type.startsWith(area.getKey()) && !area.getValue().equals("JDK I/O")) {
                    return area.getValue();
                }
            }
        }
        String top = frames.get(0).getMethod().getType().getName();
        for (Map.Entry<String, String> area : AREAS.entrySet()) {
            if (top.startsWith(area.getKey())) {
                return area.getValue();
            }
        }
        return "other (" + top.replaceAll("\\.[^.]*$", "") + ")";
    }

    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(frame);
            }
        }
        return frames.isEmpty() ? "(no stack)" : method(frames.get(0));
    }

    private static void add(Map<String, Long> map, String key, long n) {
        map.merge(key, n, Long::sum);
    }

    private static void print(String title, Map<String, Long> counts, long all, int rows) {
        System.out.println("## " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, all), e.getKey()));
        System.out.println();
    }
}
