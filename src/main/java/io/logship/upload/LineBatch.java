package io.logship.upload;

import java.util.List;

import io.logship.event.LineFormat;

/**
 * Up to a batch of raw events of one upload (a line, or lines joined by {@code \n}), copied out of the
 * stored file, and the lines that were refused while reading them.
 *
 * @param starts    where each event starts in {@code data}
 * @param ends      where each event ends (exclusive, without its line break)
 * @param lines     each event's first line number in the upload, from 1
 * @param resumeAt  the file offset and line number after this batch: where a restart continues
 * @param format    how the upload's text lines are laid out; null: found from this batch's lines
 * @param marks     per event: {@link #SPLIT} when a joined event was cut at MAX_EVENT_BYTES or the line limit
 */
public record LineBatch(Upload upload, byte[] data, int[] starts, int[] ends, long[] lines, int count,
                        List<RejectedLine> rejected, long resumeOffset, long resumeLine, LineFormat format, byte[] marks) {

    public static final byte SPLIT = 1;

    public LineBatch(Upload upload, byte[] data, int[] starts, int[] ends, long[] lines, int count,
                     List<RejectedLine> rejected, long resumeOffset, long resumeLine) {
        this(upload, data, starts, ends, lines, count, rejected, resumeOffset, resumeLine, null, new byte[count]);
    }

    public record RejectedLine(long line, String reason) {
    }
}
