package io.logship.upload;

import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.logship.event.EventEncoder;
import io.logship.event.EventEncoder.Encoded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches encoded on a pool of several threads come out whole and in line order, and the file is let go. */
class EncodingAheadTest {

    @TempDir
    Path dataDir;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("{\"n\":").append(i).append("}\n");
        }
        return text.toString();
    }

    @Test
    void batchesComeOutInLineOrderWithEveryLineOnce() throws Exception {
        UploadStore store = new UploadStore(dataDir, 7, 1000);
        Upload upload = UploadStoreTest.accept(store, lines(10_000));
        EncodingAhead ahead = new EncodingAhead(store, new EventEncoder(), pool, 6);
        for (int round = 0; round < 3; round++) {
            Iterator<Encoded> batches = ahead.batches(upload);
            long next = 1;
            while (batches.hasNext()) {
                Encoded batch = batches.next();
                LineBatch read = batch.lines();
                assertEquals(read.count(), batch.events().count());
                for (int i = 0; i < read.count(); i++) {
                    assertEquals(next++, read.lines()[i], "line order");
                    assertTrue(batch.events().document(i).startsWith("{\"n\":" + read.lines()[i] + ","), batch.events().document(i));
                }
            }
            assertEquals(10_001, next, "every line once");
            assertFalse(batches.hasNext(), "and no more after the end");
            ((Closeable) batches).close();
        }
    }

    @Test
    void stoppedEarlyItLetsTheFileGo() throws Exception {
        UploadStore store = new UploadStore(dataDir, 5, 1000);
        Upload upload = UploadStoreTest.accept(store, lines(5_000));
        Iterator<Encoded> batches = new EncodingAhead(store, new EventEncoder(), pool, 8).batches(upload);
        assertEquals(1, batches.next().lines().lines()[0]);
        ((Closeable) batches).close();
        // closed before the end, as when a batch fails: the upload's file is not held open
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openHandles(store.content(upload.id())) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, openHandles(store.content(upload.id())), "no descriptor left on the upload's file");
    }

    @Test
    void aBatchThatCannotBeEncodedFailsTheIterationInsteadOfBeingSkipped() throws Exception {
        UploadStore store = new UploadStore(dataDir, 5, 1000);
        Upload upload = UploadStoreTest.accept(store, lines(100));
        EventEncoder failing = new EventEncoder() {
            @Override
            public Encoded encoded(LineBatch lines) throws java.io.IOException {
                if (lines.lines()[0] == 11) {
                    throw new java.io.IOException("disk gone");
                }
                return super.encoded(lines);
            }
        };
        Iterator<Encoded> batches = new EncodingAhead(store, failing, pool, 4).batches(upload);
        assertEquals(1, batches.next().lines().lines()[0]);
        assertEquals(6, batches.next().lines().lines()[0]);
        java.io.UncheckedIOException failure = assertThrows(java.io.UncheckedIOException.class, batches::next);
        assertEquals("disk gone", failure.getCause().getMessage());
        ((Closeable) batches).close();
    }

    @Test
    void encodingThreadsAreOnePerCoreButOneUnlessSet() {
        assertEquals(1, EncodingAhead.threads(0, 1));
        assertEquals(1, EncodingAhead.threads(0, 2));
        assertEquals(7, EncodingAhead.threads(0, 8));
        assertEquals(3, EncodingAhead.threads(3, 2), "a configured count is kept");
    }

    /** Descriptors of this process open on {@code file} (Linux: /proc/self/fd). */
    private static long openHandles(Path file) throws Exception {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path target = file.toRealPath();
        try (var links = Files.list(fds)) {
            return links.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (Exception gone) {
                    return false;
                }
            }).count();
        }
    }
}
