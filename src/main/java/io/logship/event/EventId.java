package io.logship.event;

/**
 * A stable id per upload line: a replay of the same line gets the same id, so it is also the Elasticsearch
 * document id and a replay finds its document already there instead of duplicating it.
 */
public final class EventId {

    private EventId() {
    }

    public static String of(String uploadId, long line) {
        return prefix(uploadId) + line;
    }

    /** What every id of an upload starts with; the line number follows. */
    public static String prefix(String uploadId) {
        return uploadId + "-";
    }
}
