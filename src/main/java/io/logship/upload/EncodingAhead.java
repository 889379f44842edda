package io.logship.upload;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.logship.event.EventEncoder;
import io.logship.event.EventEncoder.Encoded;

/**
 * An upload's batches, read in order by the thread that ships them and encoded ahead of it on a small pool: while
 * one batch is on the wire the next ones are being encoded. Handed out strictly in reading order (a queue of
 * futures is the reorder buffer), so an upload's events keep their line order on a Logstash connection and its
 * checkpoints move forward only.
 */
public class EncodingAhead {

    private final UploadStore store;
    private final EventEncoder encoder;
    private final ExecutorService pool;
    private final int ahead;

    /** @param ahead batches of one upload read and encoding at a time (memory: this many batches per upload) */
    public EncodingAhead(UploadStore store, EventEncoder encoder, ExecutorService pool, int ahead) {
        this.store = store;
        this.encoder = encoder;
        this.pool = pool;
        this.ahead = Math.max(1, ahead);
    }

    /**
     * UPLOAD_ENCODE_THREADS: as configured, or (0) one per core but one, at least one. The core left over is the
     * shipping thread's (and Netty's writer's): encoders on every core took CPU from it while they were ahead of it
     * anyway (docs/BENCHMARKS.md).
     */
    public static int threads(int configured, int cores) {
        return configured > 0 ? configured : Math.max(1, cores - 1);
    }

    /** The split expression of process-upload: the upload's batches from its checkpoint, encoded. */
    public Iterator<Encoded> batches(Upload upload) throws IOException {
        return new Batches(store.reader(upload));
    }

    private final class Batches implements Iterator<Encoded>, Closeable {
        private final UploadReader reader;
        private final ArrayDeque<Future<Encoded>> encoding = new ArrayDeque<>();

        Batches(UploadReader reader) {
            this.reader = reader;
        }

        private void readAhead() {
            while (encoding.size() < ahead && reader.hasNext()) {
                LineBatch lines = reader.next();
                encoding.add(pool.submit(() -> encoder.encoded(lines)));
            }
        }

        @Override
        public boolean hasNext() {
            readAhead();
            return !encoding.isEmpty();
        }

        @Override
        public Encoded next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                return encoding.remove().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding an upload", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }

        /** The split ends (done, or stopped by a failure): batches read ahead are dropped, read again from the checkpoint. */
        @Override
        public void close() throws IOException {
            encoding.forEach(future -> future.cancel(false));
            encoding.clear();
            reader.close();
        }
    }
}
