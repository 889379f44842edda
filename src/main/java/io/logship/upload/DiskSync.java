package io.logship.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * fsync of a directory: a created, renamed or deleted file is durable only once the directory that names it is
 * synced too (fsyncing the file itself keeps its bytes, not its name). Linux allows opening a directory for
 * reading and forcing it; where a platform refuses that (Windows), there is nothing more to do.
 */
public final class DiskSync {

    /** Syncs of files still being written: blocking, and never on the thread that writes. */
    private static final ExecutorService SYNCS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "logship-sync-ahead");
        thread.setDaemon(true);
        return thread;
    });

    private DiskSync() {
    }

    /** @see Ahead */
    public static Ahead ahead(FileChannel file) {
        return new Ahead(file);
    }

    /**
     * A file that is synced in the background while it is written, so that its final sync has only the tail left:
     * a large upload's bytes go to the disk while the rest of it arrives, instead of all after its last byte.
     */
    public static final class Ahead {
        private static final long EVERY = 16L << 20;
        private final FileChannel file;
        private long requested;
        private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

        private Ahead(FileChannel file) {
            this.file = file;
        }

        /** @param bytes how much of the file is written so far */
        public void written(long bytes) {
            if (bytes - requested >= EVERY && running.isDone()) {
                requested = bytes;
                running = CompletableFuture.runAsync(() -> {
                    try {
                        file.force(false);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                }, SYNCS);
            }
        }

        /** The file is durable once this returns; a background sync's failure is this one's (Linux reports it once). */
        public void finish() throws IOException {
            try {
                running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            file.force(false);
        }
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
