package io.logship.api;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.logship.auth.Authenticator;
import io.logship.auth.Tenant;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The API's rules that must hold before a request body is read: only a valid token may send one (an
 * unauthenticated client cannot make logship write a byte), at most MAX_CONCURRENT_UPLOADS uploads at once (503
 * and Retry-After past it), a declared length over the limit is refused at once, a body that stalls for
 * HTTP_BODY_TIMEOUT ends with 408, and the files a multipart body left in DATA_DIR/tmp are deleted however the
 * request ends (answered, refused, timed out, or the client gone).
 */
public class UploadGate implements Handler<RoutingContext> {

    public static final String NAME = "uploadGate";
    static final String UPLOAD_PATH = "/api/v1/logs/upload";
    private static final String BODY = "logship.body";

    private final Authenticator authenticator;
    private final int maxConcurrentUploads;
    private final long maxRequestBytes;
    private final Duration bodyTimeout;
    private final String retryAfter;
    private final AtomicInteger uploads = new AtomicInteger();
    private final Map<HttpServerRequest, RoutingContext> inFlight = new ConcurrentHashMap<>();

    /**
     * @param maxRequestBytes the largest request body: MAX_UPLOAD_BYTES plus the multipart envelope
     */
    public UploadGate(Authenticator authenticator, int maxConcurrentUploads, long maxRequestBytes, Duration bodyTimeout,
                      long retryAfterSeconds) {
        this.authenticator = authenticator;
        this.maxConcurrentUploads = maxConcurrentUploads;
        this.maxRequestBytes = maxRequestBytes;
        this.bodyTimeout = bodyTimeout;
        this.retryAfter = String.valueOf(retryAfterSeconds);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ctx.addEndHandler(done -> deleteFiles(ctx));
        // /observe (health, metrics, Jolokia) is the operators' side: kept off public networks, see the docs' Security
        if (!sendsBody(request) || request.path() == null || request.path().startsWith("/observe")) {
            ctx.next();
            return;
        }
        boolean upload = isUpload(request.path());
        try {
            if (upload) {
                ctx.put(Authenticator.TENANT, authenticator.verifyUploader(request.getHeader("Authorization")));
            } else {
                authenticator.verify(request.getHeader("Authorization"));
            }
        } catch (ApiError refused) {
            refuse(request, refused.status(), refused.error(), refused.detail(), null);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxRequestBytes) {
            refuse(request, 413, "payload_too_large", "the request body (" + length + " bytes) is larger than "
                    + maxRequestBytes + " bytes (MAX_UPLOAD_BYTES and the multipart envelope)", null);
            return;
        }
        if (upload) {
            if (uploads.incrementAndGet() > maxConcurrentUploads) {
                uploads.decrementAndGet();
                refuse(request, 503, "too_many_uploads", "logship is receiving " + maxConcurrentUploads
                        + " uploads already (MAX_CONCURRENT_UPLOADS); retry later", retryAfter);
                return;
            }
            inFlight.put(request, ctx);
            ctx.addEndHandler(done -> {
                uploads.decrementAndGet();
                inFlight.remove(request);
            });
        }
        watchBody(ctx, upload);
        StreamedBody body = null;
        if (upload && !lower(request.getHeader("Content-Type")).startsWith("multipart/")) {
            body = new StreamedBody(ctx);
            ctx.put(BODY, body);
        }
        // curl sends "Expect: 100-continue" before a body over 1 MB and waits up to a second for the go-ahead
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        ctx.next();
        if (body != null) {
            body.flowing();
        }
    }

    /**
     * The upload route's authentication: the tenant whose token this gate verified before the body was read (a
     * token is verified once per request), or verified now for a request the gate did not see.
     */
    public void uploader(Exchange exchange) {
        Message in = exchange.getMessage();
        RoutingContext ctx = in instanceof HttpMessage http ? inFlight.get(http.getRequest()) : null;
        Tenant tenant = ctx == null ? null : ctx.get(Authenticator.TENANT);
        exchange.setProperty(Authenticator.TENANT, tenant != null ? tenant
                : authenticator.verifyUploader(in.getHeader("Authorization", String.class)));
    }

    public int maxConcurrentUploads() {
        return maxConcurrentUploads;
    }

    /** A raw upload's body, read while it arrives; null for a request the gate did not see, or a multipart one. */
    public InputStream body(HttpServerRequest request) {
        RoutingContext ctx = request == null ? null : inFlight.get(request);
        return ctx == null ? null : ctx.get(BODY);
    }

    /** How many multipart parts named {@code name} the request carried (Camel keeps only the last of each name). */
    public int fileParts(HttpServerRequest request, String name) {
        RoutingContext ctx = request == null ? null : inFlight.get(request);
        if (ctx == null) {
            return -1;
        }
        return (int) ctx.fileUploads().stream().filter(f -> name.equals(f.name())).count();
    }

    /** The route has the whole body: from here on processing may take as long as it takes (?wait=true). */
    public void received(HttpServerRequest request) {
        RoutingContext ctx = request == null ? null : inFlight.get(request);
        if (ctx != null) {
            ctx.put("logship.received", Boolean.TRUE);
        }
    }

    /**
     * A body that stops arriving for HTTP_BODY_TIMEOUT, or a multipart upload whose body ended without its closing
     * boundary (Vert.x waits for the part's end forever), is answered 408 and its connection closed.
     */
    private void watchBody(RoutingContext ctx, boolean upload) {
        HttpServerRequest request = ctx.request();
        boolean multipart = lower(request.getHeader("Content-Type")).startsWith("multipart/");
        long period = Math.max(50, Math.min(1000, bodyTimeout.toMillis() / 4));
        long[] last = {request.bytesRead(), System.nanoTime()};
        long timer = ctx.vertx().setPeriodic(period, id -> {
            long read = request.bytesRead();
            if (read != last[0]) {
                last[0] = read;
                last[1] = System.nanoTime();
                return;
            }
            boolean waitingForBody = !request.isEnded() || (upload && multipart && ctx.get("logship.received") == null);
            if (waitingForBody && System.nanoTime() - last[1] > bodyTimeout.toNanos()) {
                ctx.vertx().cancelTimer(id);
                refuse(request, 408, "request_timeout", "the request body did not arrive within "
                        + bodyTimeout.toMillis() / 1000.0 + " s (HTTP_BODY_TIMEOUT)", null);
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }

    /**
     * Answers with JSON. Whatever is left of the body is never read: an HTTP/1 connection is closed after the answer
     * (an HTTP/2 stream is reset by the answer alone).
     */
    static void refuse(HttpServerRequest request, int status, String error, String detail, String retryAfter) {
        var response = request.response();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        boolean unread = http1 && !request.isEnded();
        if (response.headWritten()) {
            if (http1) {
                request.connection().close();
            } else {
                response.reset();
            }
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (unread) {
            response.putHeader("Connection", "close");
        }
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        response.end(Buffer.buffer(ApiResponses.errorBody(error, detail))).onComplete(done -> {
            if (unread) {
                request.connection().close();
            }
        });
    }

    private static void deleteFiles(RoutingContext ctx) {
        for (FileUpload file : ctx.fileUploads()) {
            try {
                Files.deleteIfExists(Path.of(file.uploadedFileName()));
            } catch (Exception ignored) {
                // the DATA_DIR/tmp sweep removes what is left
            }
        }
    }

    private static boolean sendsBody(HttpServerRequest request) {
        HttpMethod method = request.method();
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || request.getHeader("Content-Length") != null && !"0".equals(request.getHeader("Content-Length"))
                || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isUpload(String path) {
        return path != null && (path.equals(UPLOAD_PATH) || path.equals(UPLOAD_PATH + "/"));
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
