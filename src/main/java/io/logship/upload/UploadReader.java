package io.logship.upload;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a stored upload as {@link LineBatch}es of {@code batchSize} events, streaming: only one batch and one
 * read buffer are in memory. Blank lines are not events; lines over {@code maxEventBytes} are refused with
 * their number, never truncated. Closeable (not only AutoCloseable): Camel's splitter closes only a
 * {@link Closeable} iterator when it is done, so the file is released as soon as the upload is.
 */
public final class UploadReader implements Iterator<LineBatch>, Closeable {

    private static final int BUFFER = 1 << 16;

    private final Upload upload;
    private final InputStream in;
    private final int batchSize;
    private final int maxEventBytes;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private long offset;       // file offset of buf[pos]
    private long lineNumber;   // number of the line that starts at offset
    private boolean eof;
    private LineBatch next;

    public UploadReader(Upload upload, Path file, long startOffset, long startLine, int batchSize, int maxEventBytes)
            throws IOException {
        this.upload = upload;
        this.in = Files.newInputStream(file);
        this.batchSize = batchSize;
        this.maxEventBytes = maxEventBytes;
        in.skipNBytes(startOffset);
        this.offset = startOffset;
        this.lineNumber = startLine;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public LineBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LineBatch batch = next;
        next = null;
        return batch;
    }

    private LineBatch read() throws IOException {
        byte[] data = new byte[Math.min(batchSize * 256, 1 << 20)];
        int size = 0;
        int[] starts = new int[batchSize];
        int[] ends = new int[batchSize];
        long[] lines = new long[batchSize];
        int count = 0;
        List<LineBatch.RejectedLine> rejected = new ArrayList<>(0);
        while (count < batchSize && fill()) {
            long line = ++lineNumber;
            int lineStart = size;
            long lineBytes = 0;
            boolean complete = false;
            boolean crLf = false;
            while (!complete && fill()) {
                int nl = indexOf(buf, pos, limit, (byte) '\n');
                int end = nl < 0 ? limit : nl;
                int n = end - pos;
                if (n > 0) {
                    crLf = buf[end - 1] == '\r';
                }
                // one byte over the limit is still copied: it may be the CR of a CRLF break, not part of the event
                if (lineBytes + n <= maxEventBytes + 1L) {
                    if (size + n > data.length) {
                        data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
                    }
                    System.arraycopy(buf, pos, data, size, n);
                    size += n;
                }
                lineBytes += n;
                advance(nl < 0 ? n : n + 1);
                complete = nl >= 0;
            }
            if (crLf) {
                lineBytes--;
            }
            if (lineBytes > maxEventBytes) {
                size = lineStart;
                rejected.add(new LineBatch.RejectedLine(line,
                        "line of " + lineBytes + " bytes exceeds MAX_EVENT_BYTES (" + maxEventBytes + ")"));
                continue;
            }
            int lineEnd = crLf ? size - 1 : size;
            if (isBlank(data, lineStart, lineEnd)) {
                size = lineStart;
            } else {
                starts[count] = lineStart;
                ends[count] = lineEnd;
                lines[count] = line;
                count++;
            }
        }
        if (count == 0 && rejected.isEmpty()) {
            return null;
        }
        return new LineBatch(upload, data, starts, ends, lines, count, rejected, offset, lineNumber);
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private void advance(int n) {
        pos += n;
        offset += n;
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
