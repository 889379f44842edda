package io.logship.upload;

import java.util.List;

/**
 * Up to a batch of raw lines of one upload, copied out of the stored file, and the lines that were
 * refused while reading them.
 *
 * @param starts    where each line starts in {@code data}
 * @param ends      where each line ends (exclusive, without its line break)
 * @param lines     each line's number in the upload, from 1
 * @param resumeAt  the file offset and line number after this batch: where a restart continues
 */
public record LineBatch(Upload upload, byte[] data, int[] starts, int[] ends, long[] lines, int count,
                        List<RejectedLine> rejected, long resumeOffset, long resumeLine) {

    public record RejectedLine(long line, String reason) {
    }
}
