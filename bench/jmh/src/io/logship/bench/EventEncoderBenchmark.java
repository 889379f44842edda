package io.logship.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.event.LineFormat;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
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
        List<byte[]> lines = input.equals("ndjson") ? BenchData.ndjsonLines() : BenchData.textLines();
        Upload upload = new Upload("0123456789abcdef0123456789abcdef", "bench", "bench", null, false, 0);
        batches = new LineBatch[lines.size() / BATCH];
        for (int b = 0; b < batches.length; b++) {
            int size = 0;
            for (int i = 0; i < BATCH; i++) {
                size += lines.get(b * BATCH + i).length + 1;
            }
            byte[] data = new byte[size];
            int[] starts = new int[BATCH];
            int[] ends = new int[BATCH];
            long[] numbers = new long[BATCH];
            int at = 0;
            for (int i = 0; i < BATCH; i++) {
                byte[] line = lines.get(b * BATCH + i);
                System.arraycopy(line, 0, data, at, line.length);
                starts[i] = at;
                at += line.length;
                ends[i] = at;
                data[at++] = '\n';   // as in a stored upload: a batch is a stretch of its lines
                numbers[i] = b * BATCH + i + 1L;
            }
            LineFormat format = input.equals("text-plain") ? LineFormat.NONE : LineFormat.detect(data, starts, ends, BATCH);
            batches[b] = new LineBatch(upload, data, starts, ends, numbers, BATCH, List.of(), at, numbers[BATCH - 1],
                    format, new byte[BATCH]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public EventBatch encode() throws IOException {
        LineBatch batch = batches[next];
        next = (next + 1) % batches.length;
        return encoder.encode(batch);
    }
}
