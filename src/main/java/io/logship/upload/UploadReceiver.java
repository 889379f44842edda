package io.logship.upload;

import java.io.BufferedInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logship.api.ApiError;
import io.logship.api.UploadGate;
import io.logship.auth.Authenticator;
import io.logship.auth.Tenant;
import io.logship.event.LineFormat;
import io.logship.fallback.Spool;
import io.vertx.core.http.HttpServerRequest;
import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.util.FileUtil;
import org.apache.camel.util.URISupport;

/**
 * Turns an HTTP upload into an accepted {@link Upload}: checks size, encoding and format while copying the
 * content to disk in one pass, so nothing is forwarded from an upload that is then refused, and the
 * content is durable before the client hears "accepted".
 */
public class UploadReceiver {

    private static final JsonFactory JSON = new JsonFactory();
    /** exchange property: the client asked to wait for the final result (?wait=true) */
    public static final String WAIT = "logshipWait";

    private final UploadStore store;
    private final Spool spool;
    private final long maxUploadBytes;

    public UploadReceiver(UploadStore store, Spool spool, long maxUploadBytes) {
        this.store = store;
        this.spool = spool;
        this.maxUploadBytes = maxUploadBytes;
    }

    public Upload receive(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        if (spool.isFull()) {
            throw new ApiError(503, "spool_full", "the local spool is full (" + spool.bytes()
                    + " bytes) until Logstash or Elasticsearch takes its batches; retry later");
        }
        Tenant tenant = exchange.getProperty(Authenticator.TENANT, Tenant.class);
        String contentType = lower(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        HttpServerRequest request = in instanceof HttpMessage http ? http.getRequest() : null;
        UploadGate gate = exchange.getContext().getRegistry().lookupByNameAndType(UploadGate.NAME, UploadGate.class);
        if (gate != null) {
            gate.received(request);
        }
        exchange.setProperty(WAIT, "true".equalsIgnoreCase(field(exchange, request, "wait")));
        String fileName = null;
        InputStream body;
        if (contentType.startsWith("multipart/form-data")) {
            AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
            DataHandler file = attachments.hasAttachments() ? attachments.getAttachment("file") : null;
            if (file == null) {
                throw new ApiError(400, "no_file", "multipart upload without a 'file' part");
            }
            if (gate != null && gate.fileParts(request, "file") > 1) {
                throw new ApiError(400, "several_files", "a multipart upload carries one 'file' part; send each file as its own upload");
            }
            fileName = FileUtil.stripPath(file.getName());
            body = file.getInputStream();
        } else if (contentType.isEmpty() || contentType.startsWith("application/x-ndjson")
                || contentType.startsWith("application/json") || contentType.startsWith("text/plain")
                || contentType.startsWith("application/octet-stream") || contentType.startsWith("application/gzip")) {
            Long declared = in.getHeader("Content-Length", Long.class);
            if (declared != null && declared > maxUploadBytes) {
                throw tooLarge();
            }
            body = gate != null ? gate.body(request) : null;
            if (body == null) {
                body = in.getBody(InputStream.class);
            }
            if (body == null) {
                throw new ApiError(400, "no_file", "empty request body");
            }
        } else {
            throw new ApiError(415, "unsupported_media_type", "Content-Type " + contentType
                    + " is not accepted; send multipart/form-data with a 'file' part, or application/x-ndjson, "
                    + "application/json or text/plain");
        }
        boolean gzip = "gzip".equalsIgnoreCase(in.getHeader("Content-Encoding", String.class))
                || contentType.startsWith("application/gzip") || (fileName != null && fileName.endsWith(".gz"));
        String format = lower(field(exchange, request, "format"));
        boolean lineFormat = LineFormat.named(format) != null;
        if (!format.isEmpty() && !format.equals("auto") && !format.equals("ndjson") && !format.equals("json")
                && !format.equals("text") && !lineFormat) {
            throw new ApiError(400, "bad_format", "format must be auto, ndjson, json, text or one of "
                    + new java.util.TreeSet<>(LineFormat.NAMED.keySet()) + ", not " + format);
        }
        if (format.equals("auto")) {
            format = "";
        }
        String timezone = field(exchange, request, "timezone");
        if (timezone != null && !timezone.isBlank()) {
            try {
                timezone = java.time.ZoneId.of(timezone.trim()).getId();
            } catch (java.time.DateTimeException e) {
                throw new ApiError(400, "bad_timezone", "timezone must be a zone name such as Europe/Berlin or an offset "
                        + "such as +02:00, not " + timezone);
            }
        } else {
            timezone = null;
        }
        String multiline = lower(field(exchange, request, "multiline"));
        if (!multiline.isEmpty() && !multiline.equals("auto") && !multiline.equals("off")) {
            throw new ApiError(400, "bad_multiline", "multiline must be auto or off, not " + multiline);
        }
        String source = field(exchange, request, "source");
        if (source == null || source.isBlank()) {
            source = fileName != null ? fileName.replaceFirst("\\.gz$", "") : "http";
        }
        String environment = field(exchange, request, "environment");
        if (environment != null && environment.isBlank()) {
            environment = null;
        }

        String id = store.newId();
        Path content = store.content(id);
        Files.createDirectories(content.getParent());
        // the gzip stream is closed too: its Inflater holds native memory until then
        try (InputStream raw = body; InputStream decoded = gzip ? gunzip(raw) : raw) {
            long bytes = persist(decoded, content, format);
            // declared NDJSON: a line that starts like JSON and does not parse is a parse error
            String stored = !format.isEmpty() ? format : contentType.startsWith("application/x-ndjson") ? "ndjson" : "auto";
            Upload upload = new Upload(id, tenant.id(), source, environment, format.equals("text") || lineFormat, bytes,
                    stored, timezone, multiline.isEmpty() ? null : multiline, System.currentTimeMillis());
            store.accept(upload);
            return upload;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(store.uploadDir(id));
            throw e;
        }
    }

    /**
     * An upload field: a query parameter or a multipart form field, never a request header (Camel maps all three
     * to message headers, and a proxy or client may add headers the uploader never chose).
     */
    public static String field(Exchange exchange, HttpServerRequest request, String name) {
        if (request != null) {
            String value = request.getParam(name);
            return value != null ? value : request.getFormAttribute(name);
        }
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        try {
            Object value = query == null ? null : URISupport.parseQuery(query).get(name);
            return value == null ? null : value.toString();
        } catch (java.net.URISyntaxException e) {
            throw new ApiError(400, "bad_query", "the query string cannot be parsed: " + e.getMessage());
        }
    }

    /** Copies the upload to disk, refusing it on the first byte that breaks a rule. */
    private long persist(InputStream in, Path content, String format) throws IOException {
        InputStream source = new BufferedInputStream(in, 1 << 16);
        skipBom(source);
        boolean array = format.equals("json") || (format.isEmpty() && startsLikeJsonArray(source));
        Path target = array ? content.resolveSibling("received.json") : content;
        long bytes = 0;
        Utf8Check utf8 = new Utf8Check();
        byte[] buf = new byte[1 << 16];
        try (FileOutputStream out = new FileOutputStream(target.toFile())) {
            DiskSync.Ahead sync = DiskSync.ahead(out.getChannel());
            int n;
            while ((n = readSome(source, buf)) > 0) {
                bytes += n;
                if (bytes > maxUploadBytes) {
                    throw tooLarge();
                }
                int bad = utf8.scan(buf, 0, n);
                if (bad >= 0) {
                    throw new ApiError(400, "invalid_utf8", "the upload is not valid UTF-8 at line " + lineOf(target, buf, bad));
                }
                out.write(buf, 0, n);
                sync.written(bytes);
            }
            if (!utf8.complete()) {
                throw new ApiError(400, "invalid_utf8", "the upload is not valid UTF-8 at line " + lineOf(target, buf, 0)
                        + " (truncated character at the end)");
            }
            // accepted means durable: on disk, not only in the page cache, before the 202
            sync.finish();
        }
        if (array) {
            arrayToLines(target, content);
            Files.delete(target);
        }
        if (bytes == 0) {
            throw new ApiError(400, "no_file", "the upload is empty");
        }
        return bytes;
    }

    /** The line of a refused byte: the lines already written, counted only now, and those before it in {@code buf}. */
    private static long lineOf(Path written, byte[] buf, int bad) throws IOException {
        long line = 1 + LineBreaks.count(buf, 0, bad);
        try (InputStream in = Files.newInputStream(written)) {
            byte[] part = new byte[1 << 16];
            for (int n; (n = in.read(part)) > 0; ) {
                line += LineBreaks.count(part, 0, n);
            }
        }
        return line;
    }

    /** A JSON array is stored one element per line, so every format is read the same way afterwards. */
    private static void arrayToLines(Path array, Path lines) throws IOException {
        try (JsonParser parser = JSON.createParser(array.toFile());
             FileOutputStream file = new FileOutputStream(lines.toFile());
             OutputStream out = new java.io.BufferedOutputStream(file, 1 << 16)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ApiError(400, "malformed_json", "expected a JSON array");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                try (JsonGenerator gen = JSON.createGenerator(out)) {
                    gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    gen.copyCurrentStructure(parser);
                }
                out.write('\n');
            }
            if (parser.nextToken() != null) {
                throw new ApiError(400, "malformed_json", "content after the end of the JSON array");
            }
            out.flush();
            file.getChannel().force(false);
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            throw new ApiError(400, "malformed_json", "the JSON array is not closed");
        } catch (JsonParseException e) {
            throw new ApiError(400, "malformed_json", "malformed JSON array at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            // Jackson's limits (nesting deeper than 1000, a number or string too long) are the input's fault too
            throw new ApiError(400, "malformed_json", "the JSON array is beyond what logship reads: " + e.getOriginalMessage());
        }
    }

    private static InputStream gunzip(InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (ZipException e) {
            throw new ApiError(400, "bad_gzip", "the upload is declared gzip but is not: " + e.getMessage());
        }
    }

    private static int readSome(InputStream in, byte[] buf) throws IOException {
        try {
            return in.read(buf, 0, buf.length);
        } catch (ZipException | java.io.EOFException e) {
            throw new ApiError(400, "bad_gzip", "the gzip stream is corrupt: " + e.getMessage());
        }
    }

    private static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
            in.reset();
        }
    }

    /**
     * A JSON array: {@code [} then {@code {}, {@code [}, {@code "} or {@code ]}, or a first line that parses as
     * JSON whole ({@code [1,"a"]}). A bare {@code [} is not enough: plain-text logs often start with one
     * ({@code [Sun Dec 04 04:47:44 2005] [notice] ...}, {@code [2024-05-01 12:00:00] INFO ...}).
     */
    private static boolean startsLikeJsonArray(InputStream in) throws IOException {
        in.mark(1 << 16);
        int[] seen = {0};
        boolean array = nextNonSpace(in, seen) == '[';
        if (array) {
            int next = nextNonSpace(in, seen);
            array = next == '{' || next == ']' || next == '[' || next == '"';
            if (!array && next != -1) {
                in.reset();
                array = firstLineIsJson(in);
            }
        }
        in.reset();
        return array;
    }

    private static boolean firstLineIsJson(InputStream in) throws IOException {
        byte[] line = new byte[(1 << 16) - 8];
        int n = 0;
        int c;
        while (n < line.length && (c = in.read()) != -1 && c != '\n') {
            line[n++] = (byte) c;
        }
        try (JsonParser parser = JSON.createParser(line, 0, n)) {
            parser.skipChildren();
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static int nextNonSpace(InputStream in, int[] seen) throws IOException {
        int c;
        do {
            c = in.read();
        } while (c != -1 && Character.isWhitespace(c) && ++seen[0] < (1 << 16) - 2);
        return c;
    }

    private ApiError tooLarge() {
        return new ApiError(413, "payload_too_large", "uploads are limited to " + maxUploadBytes + " bytes (MAX_UPLOAD_BYTES)");
    }

    private static String lower(String value) {
        return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover directory without status.json is skipped at recovery
        }
    }
}
