package io.logship.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real events of shared/data, found through LOGSHIP_BENCH_DATA (bench/run.sh sets it). */
final class BenchData {

    private BenchData() {
    }

    static Path dir() {
        return Path.of(System.getenv().getOrDefault("LOGSHIP_BENCH_DATA", "../shared/data"));
    }

    static List<byte[]> ndjsonLines() throws IOException {
        return Files.readAllLines(dir().resolve("loghub.ndjson")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static List<byte[]> textLines() throws IOException {
        try (var files = Files.list(dir().resolve("loghub"))) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(l -> !l.isBlank()).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        }
    }
}
