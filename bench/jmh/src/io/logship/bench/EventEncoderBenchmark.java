package io.logship.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.event.LineFormat;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import io.logship.upload.UploadReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventEncoder#encode(LineBatch)}, the per-event hot path: line -> wire document. Batches of 100 real
 * loghub lines, cycled; the score is per event (events/s on one thread).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventEncoderBenchmark {

    static final int BATCH = 100;

    /**
     * ndjson: the JSON object lines of loghub.ndjson; text: the raw lines of loghub/*.log, each batch read with
     * the layout detected from it (as an upload is, once); text-plain: the same lines, not parsed (format=plain)
     */
    @Param({"ndjson", "text", "text-plain"})
    String input;

    private final EventEncoder encoder = new EventEncoder();
    private LineBatch[] batches;
    private int next;

    @Setup
    public void setUp() throws IOException {
        // batches as the upload path makes them: read by UploadReader from a stored file (the layout of their bytes
        // decides whether a run of JSON lines shares one parser)
        List<byte[]> lines = input.equals("ndjson") ? BenchData.ndjsonLines() : BenchData.textLines();
        Path file = Files.createTempFile("logship-jmh", ".log");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        Upload upload = new Upload("0123456789abcdef0123456789abcdef", "bench", "bench", null, false, Files.size(file));
        List<LineBatch> read = new ArrayList<>();
        try (UploadReader reader = new UploadReader(upload, file, 0, 0, BATCH, 1 << 20)) {
            while (reader.hasNext()) {
                LineBatch b = reader.next();
                if (b.count() == BATCH) {
                    LineFormat format = input.equals("text-plain") ? LineFormat.NONE
                            : LineFormat.detect(b.data(), b.starts(), b.ends(), BATCH);
                    read.add(new LineBatch(upload, b.data(), b.starts(), b.ends(), b.lines(), BATCH, List.of(),
                            b.resumeOffset(), b.resumeLine(), format, b.marks()));
                }
            }
        } finally {
            Files.delete(file);
        }
        batches = read.toArray(new LineBatch[0]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public EventBatch encode() throws IOException {
        LineBatch batch = batches[next];
        next = (next + 1) % batches.length;
        return encoder.encode(batch);
    }
}
