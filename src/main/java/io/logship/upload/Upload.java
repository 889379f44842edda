package io.logship.upload;

/**
 * What an accepted upload is: who sent it and how its lines are read. The content itself lies on disk,
 * one event per line (a JSON array is stored as NDJSON).
 *
 * @param textOnly every line is a message, even one that looks like JSON ({@code format=text})
 */
public record Upload(String id, String tenantId, String source, String environment, boolean textOnly, long bytes) {
}
