package io.logship.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes orphans from DATA_DIR/tmp: multipart files and stream caches whose request ended in a way nothing
 * cleaned up after (a crash, a kill). A live file is written or read within TMP_MAX_AGE, so older ones are orphans.
 */
public class TmpSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(TmpSweeper.class);

    private final Path tmp;
    private final Duration maxAge;

    public TmpSweeper(Path tmp, Duration maxAge) {
        this.tmp = tmp;
        this.maxAge = maxAge;
    }

    /** @return how many files were deleted */
    public int sweep() throws IOException {
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        Instant before = Instant.now().minus(maxAge);
        List<Path> old;
        try (Stream<Path> files = Files.list(tmp)) {
            old = files.filter(Files::isRegularFile).filter(file -> modified(file).isBefore(before)).toList();
        }
        int deleted = 0;
        for (Path file : old) {
            if (Files.deleteIfExists(file)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            LOG.info("Deleted {} orphaned files older than {} s from {}", deleted, maxAge.toSeconds(), tmp);
        }
        return deleted;
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException gone) {
            return Instant.MAX;
        }
    }
}
