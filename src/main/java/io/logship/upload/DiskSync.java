package io.logship.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync of a directory: a created, renamed or deleted file is durable only once the directory that names it is
 * synced too (fsyncing the file itself keeps its bytes, not its name). Linux allows opening a directory for
 * reading and forcing it; where a platform refuses that (Windows), there is nothing more to do.
 */
public final class DiskSync {

    private DiskSync() {
    }

    public static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }
}
