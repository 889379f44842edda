package io.logship.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.logship.upload.LineBatch;
import io.logship.upload.Upload;
import io.logship.upload.UploadReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link UploadReader}: a stored upload (the 32,000 loghub events, from the page cache) read as LineBatches.
 * The score is per event (events/s on one thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UploadReaderBenchmark {

    static final int EVENTS = 32_000;

    @Param({"100", "1000"})
    int batchSize;

    private Path file;
    private Upload upload;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<byte[]> lines = BenchData.ndjsonLines();
        file = Files.createTempFile("logship-jmh", ".ndjson");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < EVENTS; i++) {
                out.write(lines.get(i % lines.size()));
                out.write('\n');
            }
        }
        upload = new Upload("0123456789abcdef0123456789abcdef", "bench", "bench", null, false, Files.size(file));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void readAll(Blackhole hole) throws IOException {
        try (UploadReader reader = new UploadReader(upload, file, 0, 0, batchSize, 1 << 20)) {
            while (reader.hasNext()) {
                LineBatch batch = reader.next();
                hole.consume(batch);
            }
        }
    }
}
