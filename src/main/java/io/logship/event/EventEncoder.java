package io.logship.event;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.logship.upload.LineBatch;
import io.logship.upload.Upload;

/**
 * Line to event on the wire, the one place where the event schema is made. A JSON object line is copied
 * token by token (no tree is built), its level and {@code @timestamp} normalized in place, and logship's
 * fields appended; any other line becomes {@code {"message": line}}.
 */
public class EventEncoder {

    /** Set by logship only: a value in the upload never decides where an event goes or which it is. */
    private static final Set<String> OWN_FIELDS = Set.of("tenant_id", "upload_id", "event_id", "ingested_at");

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    public EventBatch encode(LineBatch lines) throws IOException {
        Upload upload = lines.upload();
        String ingestedAt = EventTimestamp.format(Instant.now());
        WireBuffer out = new WireBuffer(lines.data().length + lines.count() * 256);
        int[] ends = new int[lines.count()];
        for (int i = 0; i < lines.count(); i++) {
            encodeLine(lines.data(), lines.starts()[i], lines.ends()[i], lines.lines()[i], upload, ingestedAt, out);
            out.write('\n');
            ends[i] = out.size();
        }
        return new EventBatch(upload.id(), upload.tenantId(), out.buffer(), out.size(), ends,
                Arrays.copyOf(lines.lines(), lines.count()), lines.count(), lines.resumeOffset(), lines.resumeLine());
    }

    /** A single event built here rather than read from an upload: the monitor's test message. */
    public byte[] encodeOne(String message, String tag, Upload upload) throws IOException {
        WireBuffer out = new WireBuffer(256);
        try (JsonGenerator gen = json.createGenerator((OutputStream) out)) {
            gen.writeStartObject();
            gen.writeStringField("message", message);
            gen.writeArrayFieldStart("tags");
            gen.writeString(tag);
            gen.writeEndArray();
            String now = EventTimestamp.format(Instant.now());
            gen.writeStringField("@timestamp", now);
            gen.writeStringField("level", "INFO");
            writeOwnFields(gen, upload, 1, now, false, false);
            gen.writeEndObject();
        }
        out.write('\n');
        return Arrays.copyOf(out.buffer(), out.size());
    }

    private void encodeLine(byte[] data, int start, int end, long line, Upload upload, String ingestedAt,
                            WireBuffer out) throws IOException {
        int first = start;
        while (first < end && (data[first] == ' ' || data[first] == '\t')) {
            first++;
        }
        boolean looksLikeJson = !upload.textOnly() && first < end && (data[first] == '{' || data[first] == '[');
        if (looksLikeJson) {
            int mark = out.size();
            try {
                if (copyObject(data, first, end, line, upload, ingestedAt, out)) {
                    return;
                }
                out.truncate(mark);
                writeMessage(data, start, end, false, line, upload, ingestedAt, out);
            } catch (IOException parseError) {
                out.truncate(mark);
                writeMessage(data, start, end, true, line, upload, ingestedAt, out);
            }
            return;
        }
        writeMessage(data, start, end, false, line, upload, ingestedAt, out);
    }

    /** @return false when the line is valid JSON but not an object: it is then carried as a message */
    private boolean copyObject(byte[] data, int start, int end, long line, Upload upload, String ingestedAt,
                               WireBuffer out) throws IOException {
        try (JsonParser parser = json.createParser(data, start, end - start)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                requireEnd(parser);
                return false;
            }
            String timestamp = null;
            String timestampFallback = null;
            int timestampRank = Integer.MAX_VALUE;
            String level = null;
            int levelRank = Integer.MAX_VALUE;
            boolean levelWritten = false;
            boolean hasSource = false;
            boolean hasEnvironment = false;
            JsonGenerator gen = json.createGenerator((OutputStream) out);
            gen.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (OWN_FIELDS.contains(name)) {
                    parser.skipChildren();
                    continue;
                }
                // an event's own source and environment are its data; the upload's fill in where absent
                hasSource |= name.equals("source");
                hasEnvironment |= name.equals("environment");
                int tsRank = rank(EventTimestamp.SOURCE_FIELDS, name);
                if (tsRank >= 0) {
                    String parsed = value == JsonToken.VALUE_STRING ? EventTimestamp.parse(parser.getText())
                            : value.isNumeric() ? EventTimestamp.parseEpoch(parser.getDoubleValue()) : null;
                    if (parsed != null && tsRank < timestampRank) {
                        timestamp = parsed;
                        timestampRank = tsRank;
                    }
                    if (tsRank == 0) {
                        // @timestamp is rewritten at the end; an unreadable one is kept under another name
                        if (parsed == null) {
                            gen.writeFieldName("original_timestamp");
                            gen.copyCurrentStructure(parser);
                        }
                        continue;
                    }
                } else if (name.equals("level")) {
                    levelWritten = true;
                    if (value == JsonToken.VALUE_STRING) {
                        gen.writeStringField("level", LevelTable.normalize(parser.getText()));
                        continue;
                    }
                } else if (value == JsonToken.VALUE_STRING && rank(LevelTable.SOURCE_FIELDS, name) > 0) {
                    int lvRank = rank(LevelTable.SOURCE_FIELDS, name);
                    if (lvRank < levelRank) {
                        level = LevelTable.normalize(parser.getText());
                        levelRank = lvRank;
                    }
                }
                gen.writeFieldName(name);
                gen.copyCurrentStructure(parser);
            }
            requireEnd(parser);
            gen.writeStringField("@timestamp", timestamp != null ? timestamp : ingestedAt);
            if (level != null && !levelWritten) {
                gen.writeStringField("level", level);
            }
            writeOwnFields(gen, upload, line, ingestedAt, hasSource, hasEnvironment);
            gen.writeEndObject();
            gen.close();
            return true;
        }
    }

    private void writeMessage(byte[] data, int start, int end, boolean parseError, long line, Upload upload,
                              String ingestedAt, WireBuffer out) throws IOException {
        try (JsonGenerator gen = json.createGenerator((OutputStream) out)) {
            gen.writeStartObject();
            gen.writeFieldName("message");
            gen.writeUTF8String(data, start, end - start);
            if (parseError) {
                gen.writeArrayFieldStart("tags");
                gen.writeString("parse_error");
                gen.writeEndArray();
            }
            gen.writeStringField("@timestamp", ingestedAt);
            writeOwnFields(gen, upload, line, ingestedAt, false, false);
            gen.writeEndObject();
        }
    }

    private static void writeOwnFields(JsonGenerator gen, Upload upload, long line, String ingestedAt,
                                       boolean hasSource, boolean hasEnvironment) throws IOException {
        gen.writeStringField("tenant_id", upload.tenantId());
        if (!hasSource) {
            gen.writeStringField("source", upload.source());
        }
        if (upload.environment() != null && !hasEnvironment) {
            gen.writeStringField("environment", upload.environment());
        }
        gen.writeStringField("upload_id", upload.id());
        gen.writeStringField("event_id", EventId.of(upload.id(), line));
        gen.writeStringField("ingested_at", ingestedAt);
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser, "trailing content after the JSON value");
        }
    }

    private static int rank(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A byte buffer that can forget a half-written event. */
    static final class WireBuffer extends OutputStream {
        private byte[] buf;
        private int size;

        WireBuffer(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        int size() {
            return size;
        }

        void truncate(int length) {
            size = length;
        }

        byte[] buffer() {
            return buf;
        }
    }
}
