package io.logship.upload;

/**
 * What an accepted upload is: who sent it and how its lines are read. The content itself lies on disk,
 * one event per line (a JSON array is stored as NDJSON).
 *
 * @param textOnly   every line is text, even one that looks like JSON ({@code format=text} or a named line format)
 * @param format     {@code auto}, {@code ndjson} (declared: a line that does not parse is a parse error),
 *                   {@code json}, {@code text} or a named line format (io.logship.event.LineFormat#NAMED)
 * @param timezone   zone of timestamps written without one; null: DEFAULT_TIMEZONE
 * @param multiline  {@code auto} or {@code off}; null: MULTILINE
 * @param acceptedAt epoch milliseconds; a yearless timestamp is read as at most one day after it
 */
public record Upload(String id, String tenantId, String source, String environment, boolean textOnly, long bytes,
                     String format, String timezone, String multiline, long acceptedAt) {

    public Upload(String id, String tenantId, String source, String environment, boolean textOnly, long bytes) {
        this(id, tenantId, source, environment, textOnly, bytes, textOnly ? "text" : "auto", null, null,
                System.currentTimeMillis());
    }

    public boolean declaredNdjson() {
        return "ndjson".equals(format);
    }
}
