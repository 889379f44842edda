import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The inputs, made from the real events of shared/data (never copied into the repository): the loghub events
 * repeated to the wanted count, as NDJSON, gzip NDJSON and plain text.
 */
final class DataFiles {

    private DataFiles() {
    }

    /** Lines of {@code sources}, cycled until {@code events} lines or {@code minBytes} bytes are written. */
    static Path repeat(List<Path> sources, long events, long minBytes, Path out) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                if (!line.isBlank()) {
                    lines.add((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        if (lines.isEmpty()) {
            throw new IOException("no lines in " + sources);
        }
        if (Files.exists(out) && Files.exists(marker(out)) && Files.readString(marker(out)).equals(events + "/" + minBytes)) {
            return out;  // made by an earlier run with the same parameters
        }
        Files.createDirectories(out.getParent());
        long written = 0;
        long bytes = 0;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            for (int i = 0; written < events || bytes < minBytes; i = (i + 1) % lines.size()) {
                o.write(lines.get(i));
                written++;
                bytes += lines.get(i).length;
            }
        }
        Files.writeString(marker(out), events + "/" + minBytes);
        return out;
    }

    static Path gzip(Path in, Path out) throws IOException {
        if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(in)) > 0) {
            return out;
        }
        try (OutputStream o = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 20), 1 << 16)) {
            Files.copy(in, o);
        }
        return out;
    }

    static long countLines(Path file) throws IOException {
        long lines = 0;
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    private static Path marker(Path out) {
        return out.resolveSibling(out.getFileName() + ".made");
    }
}
