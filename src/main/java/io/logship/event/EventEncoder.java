package io.logship.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.logship.upload.LineBatch;
import io.logship.upload.LineBreaks;
import io.logship.upload.Upload;
import org.apache.camel.Exchange;

/**
 * Line to event on the wire, the one place where the event schema is made. A JSON object line is
 * validated token by token and its fields are copied as the raw bytes they were (no tree, no
 * re-encoding), except {@code level} and {@code @timestamp}, which are normalized, and logship's own
 * fields, which are replaced; any other line becomes {@code {"message": line}} with the time, level and
 * fields its upload's {@link LineFormat} finds in it. Logship's fields are the
 * same for a whole upload but for the line number, so they are made once per batch.
 */
public class EventEncoder {

    /** Set by logship only: a value in the upload never decides where an event goes or which it is. */
    private static final Set<String> OWN_FIELDS = Set.of("tenant_id", "upload_id", "event_id", "ingested_at");
    /** The variable that carries a batch's parse errors to the dead letters and the upload's count. */
    public static final String PARSE_ERRORS = "parseErrors";
    private static final byte[] MESSAGE = bytes("{\"message\":\"");
    private static final byte[] PARSE_ERROR = bytes("\",\"tags\":[\"parse_error\"]");
    private static final byte[] SPLIT = bytes(",\"tags\":[\"multiline_split\"]");
    private static final byte[] TIMESTAMP = bytes("\"@timestamp\":\"");
    private static final byte[] LEVEL = bytes(",\"level\":\"");
    // ECS names, nested as ECS nests them, so that text events and ECS-shaped JSON events share one mapping
    private static final byte[] LOGGER = bytes(",\"log\":{\"logger\":\"");
    private static final byte[] HOST = bytes(",\"host\":{\"name\":\"");
    private static final byte[] PROCESS = bytes(",\"process\":{");
    private static final byte[] PROCESS_NAME = bytes("\"name\":\"");
    private static final byte[] PID = bytes("\"pid\":");
    private static final byte[] CLOSE_STRING_OBJECT = bytes("\"}");
    private static final byte[] ORIGINAL_TIMESTAMP = bytes("\"original_timestamp\":");

    /** Duplicate keys are refused by {@link FieldNames}, not by Jackson's detection (a HashSet per object). */
    private final JsonFactory json = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    private final ZoneId defaultZone;

    public EventEncoder() {
        this(ZoneOffset.UTC);
    }

    /** @param defaultZone DEFAULT_TIMEZONE: the zone of timestamps written without one, unless the upload names its own */
    public EventEncoder(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

    /** A line meant as JSON that did not parse, as it was in the upload. */
    public record ParseError(long line, String original) {
    }

    /** The zone and reference time of an upload's timestamps. */
    public TimeContext timeContext(Upload upload) {
        ZoneId zone = upload.timezone() == null ? defaultZone : ZoneId.of(upload.timezone());
        return new TimeContext(zone, upload.acceptedAt() > 0 ? upload.acceptedAt() : System.currentTimeMillis());
    }

    /** A batch's lines, their events and the lines meant as JSON that did not parse. */
    public record Encoded(LineBatch lines, EventBatch events, List<ParseError> parseErrors) {
    }

    public EventBatch encode(LineBatch lines) throws IOException {
        return encoded(lines).events();
    }

    /** Also leaves the batch's parse errors in the exchange variable {@link #PARSE_ERRORS}. */
    public EventBatch encode(LineBatch lines, Exchange exchange) throws IOException {
        Encoded encoded = encoded(lines);
        exchange.setVariable(PARSE_ERRORS, encoded.parseErrors());
        return encoded.events();
    }

    /** Thread-safe: batches of an upload may be encoded side by side (see EncodingAhead). */
    public Encoded encoded(LineBatch lines) throws IOException {
        Upload upload = lines.upload();
        OwnFields own = new OwnFields(upload, EventTimestamp.format(Instant.now()));
        LineFormat format = lines.format() != null ? lines.format()
                : upload.declaredNdjson() ? LineFormat.JSON_LINES
                : LineFormat.detect(lines.data(), lines.starts(), lines.ends(), lines.count());
        Line line = new Line(upload, format, timeContext(upload), own, new JsonLines(lines.data(),
                lines.count() == 0 ? 0 : lines.ends()[lines.count() - 1]));
        WireBuffer out = new WireBuffer(lines.data().length + lines.count() * 256);
        int[] ends = new int[lines.count()];
        for (int i = 0; i < lines.count(); i++) {
            boolean split = lines.marks() != null && (lines.marks()[i] & LineBatch.SPLIT) != 0;
            encodeLine(lines.data(), lines.starts()[i], lines.ends()[i], lines.lines()[i], split, line, out);
            out.write('\n');
            ends[i] = out.size();
        }
        line.json.close();
        EventBatch events = new EventBatch(upload.id(), upload.tenantId(), out.buffer(), out.size(), ends,
                Arrays.copyOf(lines.lines(), lines.count()), lines.count(), lines.resumeOffset(), lines.resumeLine());
        return new Encoded(lines, events, line.parseErrors);
    }

    /** What every line of a batch is read with. */
    private static final class Line {
        final Upload upload;
        final boolean textOnly;
        final boolean declaredNdjson;
        final LineFormat format;
        final TimeContext time;
        final OwnFields own;
        final LineFormat.ParsedLine parsed = new LineFormat.ParsedLine();
        final List<ParseError> parseErrors = new ArrayList<>(0);
        final FieldNames names = new FieldNames();
        final FieldRoles roles;
        final JsonLines json;

        Line(Upload upload, LineFormat format, TimeContext time, OwnFields own, JsonLines json) {
            this.upload = upload;
            this.textOnly = upload.textOnly();
            this.declaredNdjson = upload.declaredNdjson();
            this.format = format;
            this.time = time;
            this.own = own;
            this.json = json;
            this.roles = new FieldRoles(upload.environment() != null);
        }
    }

    /** A single event built here rather than read from an upload: the monitor's test message. */
    public byte[] encodeOne(String message, String tag, Upload upload) {
        String now = EventTimestamp.format(Instant.now());
        WireBuffer out = new WireBuffer(256);
        out.write(MESSAGE);
        out.writeEscaped(bytes(message), 0, bytes(message).length);
        out.write(bytes("\",\"tags\":[\"" + tag + "\"],\"level\":\"INFO\",\"@timestamp\":\"" + now + "\""));
        new OwnFields(upload, now).write(out, 1);
        out.write('\n');
        return Arrays.copyOf(out.buffer(), out.size());
    }

    /**
     * A line that starts with {@code {} is meant as JSON: if it does not parse it is a parse error. One that
     * starts with {@code [} is JSON when it parses (or a parse error in a declared NDJSON upload), and text
     * otherwise: {@code [Sun Dec 04 04:47:44 2005] [notice] ...} is Apache's error log, not broken JSON.
     */
    private void encodeLine(byte[] data, int start, int end, long number, boolean split, Line line, WireBuffer out)
            throws IOException {
        int first = start;
        while (first < end && (data[first] == ' ' || data[first] == '\t')) {
            first++;
        }
        boolean looksLikeJson = !line.textOnly && first < end && (data[first] == '{' || data[first] == '[');
        if (looksLikeJson) {
            int mark = out.size();
            try {
                if (copyObject(data, first, end, number, line, out)) {
                    return;
                }
                out.truncate(mark);
            } catch (IOException parseError) {
                out.truncate(mark);
                line.json.close();
                if (data[first] == '{' || line.declaredNdjson) {
                    writeParseError(data, start, end, number, line, out);
                    return;
                }
            }
        }
        writeText(data, start, end, number, split, line, out);
    }

    /** @return false when the line is valid JSON but not an object: it is then carried as a message */
    private boolean copyObject(byte[] data, int start, int end, long number, Line line, WireBuffer out)
            throws IOException {
        JsonParser parser = line.json.at(start);
        int base = line.json.base;
        FieldNames names = line.names;
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            skipValue(parser, names, 0);
            line.json.ended(parser, end);
            return false;
        }
        names.open(0);
        long timestamp = EventTimestamp.NONE;
        int timestampRank = Integer.MAX_VALUE;
        String level = null;
        int levelRank = Integer.MAX_VALUE;
        boolean levelWritten = false;
        out.write('{');
        boolean empty = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            int fieldStart = base + (int) parser.currentTokenLocation().getByteOffset();
            String name = parser.currentName();
            names.add(parser, 0, name);
            JsonToken value = parser.nextToken();
            skipValue(parser, names, 1);
            int fieldEnd = base + (int) parser.currentLocation().getByteOffset();
            int role = line.roles.of(name);
            if (role == FieldRoles.REPLACED) {
                continue;
            }
            int tsRank = role >= FieldRoles.TIME && role < FieldRoles.LEVEL ? role - FieldRoles.TIME : -1;
            String levelInPlace = null;
            if (tsRank >= 0) {
                long parsed = value == JsonToken.VALUE_STRING ? stringTime(parser, data, fieldStart, fieldEnd, line.time)
                        : value.isNumeric() ? EventTimestamp.parseEpochMillis(parser.getDoubleValue()) : EventTimestamp.NONE;
                if (parsed != EventTimestamp.NONE && tsRank < timestampRank) {
                    timestamp = parsed;
                    timestampRank = tsRank;
                }
                if (tsRank == 0) {
                    // @timestamp is written at the end; an unreadable one is kept under another name
                    if (parsed == EventTimestamp.NONE) {
                        empty = comma(out, empty);
                        out.write(ORIGINAL_TIMESTAMP);
                        int valueStart = valueStart(data, fieldStart, fieldEnd);
                        out.write(data, valueStart, fieldEnd - valueStart);
                    }
                    continue;
                }
            } else if (role == FieldRoles.LEVEL) {
                levelWritten = true;
                if (value == JsonToken.VALUE_STRING) {
                    levelInPlace = level(parser, data, fieldStart, fieldEnd);
                }
            } else if (value == JsonToken.VALUE_STRING && role > FieldRoles.LEVEL) {
                int lvRank = role - FieldRoles.LEVEL;
                if (lvRank < levelRank) {
                    level = level(parser, data, fieldStart, fieldEnd);
                    levelRank = lvRank;
                }
            }
            empty = comma(out, empty);
            if (levelInPlace != null) {
                // the normalized level in place of the line's own
                out.write(LEVEL, 1, LEVEL.length - 1);
                out.writeString(levelInPlace);
                out.write('"');
            } else {
                out.write(data, fieldStart, fieldEnd - fieldStart);
            }
        }
        line.json.ended(parser, end);
        comma(out, empty);
        if (timestamp == EventTimestamp.NONE || !out.writeTimestamp(timestamp)) {
            out.write(line.own.ingestTimestamp);
        }
        if (level != null && !levelWritten) {
            out.write(LEVEL);
            out.writeString(level);
            out.write('"');
        }
        line.own.write(out, number);
        return true;
    }

    /** Kept whole as the message, tagged, with the ingest time; and remembered for the dead letters. */
    private static void writeParseError(byte[] data, int start, int end, long number, Line line, WireBuffer out) {
        out.write(MESSAGE);
        out.writeEscaped(data, start, end);
        out.write(PARSE_ERROR);
        out.write(',');
        out.write(line.own.ingestTimestamp);
        line.own.write(out, number);
        line.parseErrors.add(new ParseError(number, new String(data, start, end - start, StandardCharsets.UTF_8)));
    }

    /**
     * {@code {"message": line}} with what the upload's line format finds in it: {@code @timestamp} (else the
     * ingest time), {@code level}, and under their ECS names {@code log.logger}, {@code host.name},
     * {@code process.name}, {@code process.pid}. A joined event is read by its first line.
     */
    private static void writeText(byte[] data, int start, int end, long number, boolean split, Line line, WireBuffer out) {
        out.write(MESSAGE);
        out.writeEscaped(data, start, end);
        out.write('"');
        if (split) {
            out.write(SPLIT);
        }
        int firstBreak = LineBreaks.next(data, start, end);
        int firstLineEnd = firstBreak < 0 ? end : firstBreak;
        LineFormat.ParsedLine parsed = line.parsed;
        boolean timed = line.format.parse(data, start, firstLineEnd, line.time, parsed);
        out.write(',');
        if (!timed || !out.writeTimestamp(line.time.millis())) {
            out.write(line.own.ingestTimestamp);
        }
        if (parsed.level != null) {
            out.write(LEVEL);
            out.writeAscii(parsed.level);
            out.write('"');
        }
        if (parsed.loggerStart >= 0) {
            out.write(LOGGER);
            out.writeEscaped(data, parsed.loggerStart, parsed.loggerEnd);
            out.write(CLOSE_STRING_OBJECT);
        }
        if (parsed.hostStart >= 0) {
            out.write(HOST);
            out.writeEscaped(data, parsed.hostStart, parsed.hostEnd);
            out.write(CLOSE_STRING_OBJECT);
        }
        if (parsed.processStart >= 0 || parsed.pidStart >= 0) {
            out.write(PROCESS);
            if (parsed.processStart >= 0) {
                out.write(PROCESS_NAME);
                out.writeEscaped(data, parsed.processStart, parsed.processEnd);
                out.write('"');
            }
            if (parsed.pidStart >= 0) {
                if (parsed.processStart >= 0) {
                    out.write(',');
                }
                out.write(PID);
                out.write(data, parsed.pidStart, parsed.pidEnd - parsed.pidStart);
            }
            out.write('}');
        }
        line.own.write(out, number);
    }

    /** A JSON string's time, read from its raw bytes when it has no escapes (no String is made). */
    private static long stringTime(JsonParser parser, byte[] data, int fieldStart, int fieldEnd, TimeContext time)
            throws IOException {
        long raw = rawString(data, fieldStart, fieldEnd);
        if (raw < 0) {
            byte[] text = parser.getText().getBytes(StandardCharsets.UTF_8);
            return EventTimestamp.parseMillis(text, 0, text.length, time);
        }
        return EventTimestamp.parseMillis(data, (int) (raw >>> 32), (int) raw, time);
    }

    /** A JSON string's level, found from its raw bytes when it is a known alias (no String is made). */
    private static String level(JsonParser parser, byte[] data, int fieldStart, int fieldEnd) throws IOException {
        long raw = rawString(data, fieldStart, fieldEnd);
        String alias = raw < 0 ? null : LevelTable.alias(data, (int) (raw >>> 32), (int) raw);
        return alias != null ? alias : LevelTable.normalize(parser.getText());
    }

    /** Where a string value's content starts and ends ({@code start << 32 | end}); -1 when it holds an escape. */
    private static long rawString(byte[] data, int fieldStart, int fieldEnd) {
        int from = valueStart(data, fieldStart, fieldEnd) + 1;
        int to = fieldEnd;
        while (to > from && data[to - 1] != '"') {
            to--;
        }
        to--;
        for (int i = from; i < to; i++) {
            if (data[i] == '\\') {
                return -1;
            }
        }
        return (long) from << 32 | to;
    }

    /**
     * Consumes the current value whole, strings included, so that a bad escape anywhere is a parse error, and so
     * is a key twice in one object (Elasticsearch refuses such a document).
     *
     * @param level how deep the value is in the line's object: 1 for a field's value
     */
    private static void skipValue(JsonParser parser, FieldNames names, int level) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        do {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                names.open(level + depth);
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == JsonToken.FIELD_NAME) {
                names.add(parser, level + depth - 1, parser.currentName());
            } else if (token == JsonToken.VALUE_STRING) {
                parser.finishToken();
            }
            if (depth > 0) {
                token = parser.nextToken();
                if (token == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of the line");
                }
            }
        } while (depth > 0);
    }

    /**
     * The keys of each object open in a line, one list per depth, to refuse a duplicate: compared one by one up to
     * {@value #LINEAR} keys (a parser returns the same String for the same key, so most comparisons are one
     * reference), in a set beyond, so that an object of many keys costs no more than Jackson's own detection.
     */
    static final class FieldNames {
        private static final int LINEAR = 16;
        private String[][] names = new String[8][];
        private int[] counts = new int[8];
        private java.util.Set<String>[] many = newSets(8);

        void open(int depth) {
            if (depth >= counts.length) {
                int size = Math.max(depth + 1, counts.length * 2);
                names = Arrays.copyOf(names, size);
                counts = Arrays.copyOf(counts, size);
                many = Arrays.copyOf(many, size);
            }
            counts[depth] = 0;
            many[depth] = null;
        }

        void add(JsonParser parser, int depth, String name) throws IOException {
            String[] seen = names[depth];
            int count = counts[depth];
            if (count < LINEAR) {
                for (int i = 0; i < count; i++) {
                    if (name.equals(seen[i])) {
                        throw duplicate(parser, name);
                    }
                }
                if (seen == null) {
                    seen = names[depth] = new String[LINEAR];
                }
                seen[count] = name;
            } else {
                if (many[depth] == null) {
                    many[depth] = new java.util.HashSet<>(Arrays.asList(seen));
                }
                if (!many[depth].add(name)) {
                    throw duplicate(parser, name);
                }
            }
            counts[depth] = count + 1;
        }

        private static IOException duplicate(JsonParser parser, String name) {
            return new com.fasterxml.jackson.core.JsonParseException(parser, "duplicate field '" + name + "'");
        }

        @SuppressWarnings("unchecked")
        private static java.util.Set<String>[] newSets(int size) {
            return new java.util.Set[size];
        }
    }

    /**
     * What a line's top-level field is to its event, remembered by the name's String: a parser hands out the same
     * String for the same key, so a field is known by one reference comparison instead of a dozen {@code equals}
     * (this runs for every field of every event). A name not remembered, or another String of it, is worked out again.
     */
    static final class FieldRoles {
        static final int OTHER = 0;
        /** logship's own fields, and the upload's source and (when given) environment: the upload's win over the line's */
        static final int REPLACED = 1;
        /** plus the rank in {@link EventTimestamp#SOURCE_FIELDS} */
        static final int TIME = 16;
        /** plus the rank in {@link LevelTable#SOURCE_FIELDS}: {@code level} itself, then the others */
        static final int LEVEL = 32;
        private static final int SLOTS = 64;
        private final boolean environmentGiven;
        private final String[] names = new String[SLOTS];
        private final int[] roles = new int[SLOTS];

        FieldRoles(boolean environmentGiven) {
            this.environmentGiven = environmentGiven;
        }

        int of(String name) {
            int slot = name.hashCode() & (SLOTS - 1);
            if (names[slot] != name) {
                names[slot] = name;
                roles[slot] = roleOf(name);
            }
            return roles[slot];
        }

        private int roleOf(String name) {
            if (OWN_FIELDS.contains(name) || name.equals("source") || (environmentGiven && name.equals("environment"))) {
                return REPLACED;
            }
            int time = rank(EventTimestamp.SOURCE_FIELDS, name);
            if (time >= 0) {
                return TIME + time;
            }
            int level = rank(LevelTable.SOURCE_FIELDS, name);
            return level >= 0 ? LEVEL + level : OTHER;
        }
    }

    /** Where the value starts in a raw {@code "name" : value} span. */
    private static int valueStart(byte[] data, int fieldStart, int fieldEnd) {
        int i = fieldStart + 1;
        while (data[i] != '"') {
            i += data[i] == '\\' ? 2 : 1;
        }
        i++;
        while (data[i] == ' ' || data[i] == '\t' || data[i] == ':') {
            i++;
        }
        return i;
    }

    private static boolean comma(WireBuffer out, boolean empty) {
        if (!empty) {
            out.write(',');
        }
        return false;
    }

    private static int rank(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String quoted(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One parser for the JSON lines of a batch that follow each other: a line that ends its value and has nothing
     * after it leaves the parser where the next line starts. Making a parser costs about as much as parsing a
     * short line; a line that does not parse, is not an object, or has something between it and the next (a
     * refused line) makes the next line start a parser of its own.
     */
    private final class JsonLines {
        private final byte[] data;
        private final int end;
        private JsonParser parser;
        /** where the parser's input starts in {@code data}: its byte offsets count from here */
        int base;
        /** where the line the parser read last ended */
        private int after = -1;

        JsonLines(byte[] data, int end) {
            this.data = data;
            this.end = end;
        }

        JsonParser at(int first) throws IOException {
            if (parser != null && blank(after, first)) {
                return parser;
            }
            close();
            parser = json.createParser(data, first, end - first);
            base = first;
            return parser;
        }

        /** The value read is the whole line: what follows it on the line is blank, and it does not reach past it. */
        void ended(JsonParser parser, int lineEnd) throws IOException {
            int valueEnd = base + (int) parser.currentLocation().getByteOffset();
            if (valueEnd > lineEnd || !blank(valueEnd, lineEnd)) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "content after the JSON value on its line");
            }
            after = lineEnd;
        }

        /** Also when the parser stopped inside a value: the next line starts afresh. */
        void close() {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // a parser over a byte array holds nothing to release
                }
                parser = null;
            }
        }

        private boolean blank(int from, int to) {
            for (int i = from; i < to; i++) {
                byte b = data[i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Logship's fields, the same for every event of a batch but for the line number:
     * {@code ,"tenant_id":…,"source":…,"environment":…,"upload_id":…,"event_id":"<upload>-<line>","ingested_at":…}.
     */
    private static final class OwnFields {
        /** {@code "@timestamp":"<ingest time>"}, for events whose own time is unknown */
        private final byte[] ingestTimestamp;
        private final byte[] tenant;
        private final byte[] source;
        private final byte[] environment;
        private final byte[] eventIdPrefix;
        private final byte[] tail;

        OwnFields(Upload upload, String ingestedAt) {
            this.ingestTimestamp = bytes("\"@timestamp\":\"" + ingestedAt + "\"");
            this.tenant = bytes(",\"tenant_id\":" + quoted(upload.tenantId()));
            this.source = bytes(",\"source\":" + quoted(upload.source()));
            this.environment = upload.environment() == null ? new byte[0]
                    : bytes(",\"environment\":" + quoted(upload.environment()));
            this.eventIdPrefix = bytes(",\"upload_id\":" + quoted(upload.id()) + ",\"event_id\":\""
                    + EventId.prefix(upload.id()));
            this.tail = bytes("\",\"ingested_at\":\"" + ingestedAt + "\"}");
        }

        void write(WireBuffer out, long line) {
            out.write(tenant);
            out.write(source);
            out.write(environment);
            out.write(eventIdPrefix);
            out.writeDecimal(line);
            out.write(tail);
        }
    }

    /** A byte buffer that can forget a half-written event. */
    static final class WireBuffer {
        private static final byte[] HEX = bytes("0123456789abcdef");
        private byte[] buf;
        private int size;
        /** the wire form of the @timestamp written last: events in a row often share it */
        private long lastMillis = EventTimestamp.NONE;
        private final byte[] lastWire = new byte[24];

        WireBuffer(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void write(byte[] b) {
            write(b, 0, b.length);
        }

        void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        /** {@code "@timestamp":"<wire form>"}; false (nothing written) outside years 0..9999. */
        boolean writeTimestamp(long epochMillis) {
            if (epochMillis != lastMillis) {
                if (!EventTimestamp.write(epochMillis, lastWire, 0)) {
                    return false;
                }
                lastMillis = epochMillis;
            }
            ensure(TIMESTAMP.length + 25);
            System.arraycopy(TIMESTAMP, 0, buf, size, TIMESTAMP.length);
            System.arraycopy(lastWire, 0, buf, size + TIMESTAMP.length, 24);
            size += TIMESTAMP.length + 24;
            buf[size++] = '"';
            return true;
        }

        /** A line number: never negative. */
        void writeDecimal(long value) {
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            ensure(digits);
            for (int i = size + digits - 1; i >= size; i--) {
                buf[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            size += digits;
        }

        /** A String as the inside of a JSON string. */
        void writeString(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                    byte[] utf8 = bytes(s);
                    writeEscaped(utf8, 0, utf8.length);
                    return;
                }
            }
            writeAscii(s);
        }

        void writeAscii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[size++] = (byte) s.charAt(i);
            }
        }

        /** Raw UTF-8 as the inside of a JSON string: quotes, backslashes and control characters escaped. */
        void writeEscaped(byte[] b, int from, int to) {
            ensure((to - from) * 6);
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == '"' || c == '\\') {
                    buf[size++] = '\\';
                    buf[size++] = c;
                } else if (c >= 0 && c < 0x20) {
                    switch (c) {
                        case '\n' -> { buf[size++] = '\\'; buf[size++] = 'n'; }
                        case '\r' -> { buf[size++] = '\\'; buf[size++] = 'r'; }
                        case '\t' -> { buf[size++] = '\\'; buf[size++] = 't'; }
                        default -> {
                            buf[size++] = '\\';
                            buf[size++] = 'u';
                            buf[size++] = '0';
                            buf[size++] = '0';
                            buf[size++] = HEX[c >> 4];
                            buf[size++] = HEX[c & 0xF];
                        }
                    }
                } else {
                    buf[size++] = c;
                }
            }
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
