package io.logship.upload;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.logship.event.LineFormat;
import io.logship.event.TimeContext;

/**
 * Reads a stored upload as {@link LineBatch}es of {@code batchSize} events, streaming: only one batch and one
 * read buffer are in memory. Blank lines are not events; lines over {@code maxEventBytes} are refused with
 * their number, never truncated. Only LF ends a line (a CR right before it is dropped; a lone CR is
 * content). Closeable (not only AutoCloseable): Camel's splitter closes only a {@link Closeable} iterator
 * when it is done, so the file is released as soon as the upload is.
 *
 * <p>With multiline joining, continuation lines join the event before them, joined by {@code \n}: lines
 * led by whitespace, Java's {@code Caused by:} and {@code ... n more}, a Python traceback down to its
 * exception line, and, in a file whose events start with a timestamp, every line without one. An event
 * is numbered by its first line, and a batch ends only where the next event starts, so the resume point
 * is always an event's first line: a resumed upload gives every event the same id as before. A joined
 * event that would pass {@code maxEventBytes} or {@code maxLines} is cut there and goes on as a new event
 * (both parts marked {@link LineBatch#SPLIT}): nothing is dropped.
 */
public final class UploadReader implements Iterator<LineBatch>, Closeable {

    private static final int BUFFER = 1 << 16;
    private static final byte[] TRACEBACK = "Traceback (most recent call last):".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CAUSED_BY = "Caused by: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUPPRESSED = "Suppressed: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MORE = "... ".getBytes(StandardCharsets.US_ASCII);

    private final Upload upload;
    private final InputStream in;
    private final long fileBytes;
    private final int batchSize;
    /** a batch also ends once it holds this many bytes: large events must not make a batch of gigabytes */
    private int batchBytes = Integer.MAX_VALUE;
    private final int maxEventBytes;
    private final LineFormat format;
    private final boolean multiline;
    private final int maxLines;
    private final TimeContext time = TimeContext.utcNow();
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private long offset;       // file offset of buf[pos]
    private long lineNumber;   // number of the line that starts at offset
    private boolean eof;
    private LineBatch next;
    /** the first line of the next batch's first event, read already: its bytes, number and file offset */
    private byte[] pendingBytes;
    private long pendingLine;
    private long pendingOffset;
    private boolean pendingSplit;

    public UploadReader(Upload upload, Path file, long startOffset, long startLine, int batchSize, int maxEventBytes)
            throws IOException {
        this(upload, file, startOffset, startLine, batchSize, maxEventBytes, LineFormat.NONE, false, 1);
    }

    public UploadReader(Upload upload, Path file, long startOffset, long startLine, int batchSize, int maxEventBytes,
                        LineFormat format, boolean multiline, int maxLines) throws IOException {
        this.upload = upload;
        this.in = Files.newInputStream(file);
        this.fileBytes = Files.size(file);
        this.batchSize = batchSize;
        this.maxEventBytes = maxEventBytes;
        this.format = format;
        this.multiline = multiline && !format.json();
        this.maxLines = Math.max(1, maxLines);
        in.skipNBytes(startOffset);
        this.offset = startOffset;
        this.lineNumber = startLine;
    }

    /** UPLOAD_BATCH_BYTES: a batch ends at the first event that starts past this many bytes. */
    public UploadReader limitBytes(int bytes) {
        this.batchBytes = bytes;
        return this;
    }

    /**
     * How the upload's lines are laid out: named by its {@code format}, or found from its first lines (always
     * the first ones, wherever reading resumes, so a resumed upload reads its lines as before).
     */
    public static LineFormat lineFormat(Upload upload, Path file) throws IOException {
        if ("ndjson".equals(upload.format()) || "json".equals(upload.format())) {
            return LineFormat.JSON_LINES;
        }
        LineFormat named = LineFormat.named(upload.format());
        if (named != null) {
            return named;
        }
        byte[] sample = new byte[BUFFER];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(sample, 0, sample.length);
        }
        int[] starts = new int[128];
        int[] ends = new int[128];
        int count = 0;
        for (int i = 0; i < n && count < starts.length; ) {
            int nl = LineBreaks.next(sample, i, n);
            if (nl < 0 && n == sample.length) {
                break;      // a line cut by the sample's end would mislead
            }
            int end = nl < 0 ? n : nl;
            int lineEnd = end > i && sample[end - 1] == '\r' ? end - 1 : end;
            if (!isBlank(sample, i, lineEnd)) {
                starts[count] = i;
                ends[count] = lineEnd;
                count++;
            }
            i = end + 1;
        }
        LineFormat format = LineFormat.detect(sample, starts, ends, count);
        return upload.textOnly() && format.json() ? LineFormat.NONE : format;
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

    /** Where the line just read lies in {@code data}: [start, end), or end = -1 when it was refused. */
    private int lineStart;
    private int lineEnd;
    private long lineOffset;
    private byte[] data;
    private int size;

    private LineBatch read() throws IOException {
        // sized for the batch, or for what is left of a small upload (it grows when a batch needs more)
        data = new byte[(int) Math.max(64, Math.min(Math.min(batchSize * 256L, 1 << 20), fileBytes - offset + 1))];
        size = 0;
        int[] starts = new int[batchSize];
        int[] ends = new int[batchSize];
        long[] lines = new long[batchSize];
        byte[] marks = new byte[batchSize];
        int count = 0;
        List<LineBatch.RejectedLine> rejected = new ArrayList<>(0);
        boolean open = false;       // an event is being joined: starts/ends/lines[count] hold it
        int eventLines = 0;
        boolean traceback = false;
        long resumeOffset = -1;
        long resumeLine = -1;
        while (true) {
            long line;
            boolean splitBefore = false;
            if (pendingBytes != null) {
                line = pendingLine;
                lineOffset = pendingOffset;
                splitBefore = pendingSplit;
                beginLine(pendingBytes.length);
                System.arraycopy(pendingBytes, 0, data, lineStart, pendingBytes.length);
                lineEnd = lineStart + pendingBytes.length;
                pendingBytes = null;
            } else {
                if (!fill()) {
                    break;
                }
                line = ++lineNumber;
                String refusal = readLine();
                if (refusal != null) {
                    rejected.add(new LineBatch.RejectedLine(line, refusal));
                    continue;
                }
                if (isBlank(data, lineStart, lineEnd)) {
                    continue;
                }
            }
            boolean continuation = open && multiline && !splitBefore && continues(lineStart, lineEnd, traceback);
            boolean split = false;
            if (continuation && (ends[count] - starts[count] + 1 + (lineEnd - lineStart) > maxEventBytes
                    || eventLines >= maxLines)) {
                continuation = false;
                split = true;
                marks[count] |= LineBatch.SPLIT;
            }
            if (continuation) {
                // joined by the line break before it (beginLine)
                ends[count] = lineEnd;
                size = lineEnd;
                eventLines++;
                traceback = traceback && startsWithSpace(lineStart, lineEnd);
                continue;
            }
            if (open) {
                count++;
                open = false;
            }
            if (count == batchSize || (count > 0 && lineStart - 1 >= batchBytes)) {
                pendingBytes = Arrays.copyOfRange(data, lineStart, lineEnd);
                pendingLine = line;
                pendingOffset = lineOffset;
                pendingSplit = split;
                resumeOffset = lineOffset;
                resumeLine = line - 1;
                break;
            }
            starts[count] = lineStart;
            ends[count] = lineEnd;
            lines[count] = line;
            marks[count] = split || splitBefore ? LineBatch.SPLIT : 0;
            size = lineEnd;
            open = true;
            eventLines = 1;
            traceback = multiline && startsWith(lineStart, lineEnd, TRACEBACK);
        }
        if (open) {
            count++;
        }
        if (count == 0 && rejected.isEmpty()) {
            return null;
        }
        if (resumeOffset < 0) {
            resumeOffset = offset;
            resumeLine = lineNumber;
        }
        return new LineBatch(upload, data, starts, ends, lines, count, rejected, resumeOffset, resumeLine, format, marks);
    }

    /**
     * Copies the next line into {@code data} one byte after {@code size} (the byte before it is where a
     * {@code \n} goes if it joins the event before it). @return null, or why the line is refused
     */
    private String readLine() throws IOException {
        lineOffset = offset;
        beginLine(0);
        int end = lineStart;
        long lineBytes = 0;
        boolean complete = false;
        boolean crLf = false;
        while (!complete && fill()) {
            int nl = LineBreaks.next(buf, pos, limit);
            int stop = nl < 0 ? limit : nl;
            int n = stop - pos;
            if (n > 0) {
                crLf = buf[stop - 1] == '\r';
            }
            // one byte over the limit is still copied: it may be the CR of a CRLF break, not part of the event
            if (lineBytes + n <= maxEventBytes + 1L) {
                ensure(end - size + n);
                System.arraycopy(buf, pos, data, end, n);
                end += n;
            }
            lineBytes += n;
            advance(nl < 0 ? n : n + 1);
            complete = nl >= 0;
        }
        if (crLf) {
            lineBytes--;
            end--;
        }
        if (lineBytes > maxEventBytes) {
            return "line of " + lineBytes + " bytes exceeds MAX_EVENT_BYTES (" + maxEventBytes + ")";
        }
        lineEnd = end;
        return null;
    }

    /** Whether a line belongs to the event before it. */
    private boolean continues(int from, int to, boolean traceback) {
        if (traceback || startsWithSpace(from, to)) {
            return true;
        }
        if (format.json() && data[from] == '{') {
            return false;
        }
        if (startsWith(from, to, CAUSED_BY) || startsWith(from, to, SUPPRESSED) || startsWith(from, to, MORE)) {
            return true;
        }
        return format.timestamped() && !format.startsEvent(data, from, to, time);
    }

    private boolean startsWithSpace(int from, int to) {
        return from < to && (data[from] == ' ' || data[from] == '\t');
    }

    private boolean startsWith(int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The next line starts after a line break, as in the upload: EventEncoder reads a run of JSON lines with one
     * parser only when nothing but blanks lies between them.
     */
    private void beginLine(int bytes) {
        ensure(bytes);
        data[size] = '\n';
        lineStart = size + 1;
    }

    /** Room for {@code n} more bytes after {@code size} (and the joining byte before them). */
    private void ensure(int n) {
        if (size + 1 + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + 1 + n));
        }
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
