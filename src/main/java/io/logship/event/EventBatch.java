package io.logship.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Events ready for the wire: {@code json_lines}, each document ending in {@code \n}. The same bytes go to
 * Logstash, to Elasticsearch and to the spool.
 *
 * @param ends        where each document ends in {@code data} (after its line break)
 * @param lines       each event's line number in its upload
 * @param resumeLine  with resumeOffset: where the upload continues after this batch
 */
public record EventBatch(String uploadId, String tenantId, byte[] data, int size, int[] ends, long[] lines, int count,
                         long resumeOffset, long resumeLine) {

    public int start(int index) {
        return index == 0 ? 0 : ends[index - 1];
    }

    public long line(int index) {
        return lines[index];
    }

    /** One document, without its line break. */
    public String document(int index) {
        return new String(data, start(index), ends[index] - start(index) - 1, StandardCharsets.UTF_8);
    }

    public int documentBytes(int index) {
        return ends[index] - start(index);
    }

    /** Events [from, to) as a batch of their own, for UDP datagrams and partial fallbacks. */
    public EventBatch slice(int from, int to) {
        int offset = start(from);
        int[] sliceEnds = new int[to - from];
        for (int i = from; i < to; i++) {
            sliceEnds[i - from] = ends[i] - offset;
        }
        byte[] bytes = Arrays.copyOfRange(data, offset, ends[to - 1]);
        return new EventBatch(uploadId, tenantId, bytes, bytes.length, sliceEnds,
                Arrays.copyOfRange(lines, from, to), to - from, resumeOffset, resumeLine);
    }

    /** The events at the given indexes, in order, as a batch of their own. */
    public EventBatch select(java.util.List<Integer> indexes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int[] selectedEnds = new int[indexes.size()];
        long[] selectedLines = new long[indexes.size()];
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            out.write(data, start(index), documentBytes(index));
            selectedEnds[i] = out.size();
            selectedLines[i] = lines[index];
        }
        return new EventBatch(uploadId, tenantId, out.toByteArray(), out.size(), selectedEnds, selectedLines,
                indexes.size(), resumeOffset, resumeLine);
    }

    /** The wire bytes, exactly {@code size} long. */
    public byte[] bytes() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
