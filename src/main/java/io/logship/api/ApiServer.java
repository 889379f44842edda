package io.logship.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP server: Camel's Vert.x server (the platform-http routes run on it as before) with the limits a
 * server facing the internet needs, which Camel's own settings do not offer: a bound on open connections, a
 * deadline for the request headers (from the connection's start or its previous answer, so idle keep-alive
 * connections close too), a body that stops arriving ends the request with 408, and every refusal the server
 * makes itself (unknown path, 414, 431, ...) is JSON {@code {"error", "detail"}} like the routes' own.
 */
public class ApiServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int[] ERROR_STATUSES = {400, 401, 403, 404, 405, 406, 408, 409, 413, 414, 415, 431, 500, 501, 503};
    private static final int BODY_CHUNK_BYTES = 64 * 1024;

    /** HTTP_HEADER_TIMEOUT and HTTP_MAX_CONNECTIONS, bound as {@value #LIMITS} by LogshipBeans. */
    public record Limits(Duration headerTimeout, int maxConnections) {
    }

    public static final String LIMITS = "httpLimits";

    private final VertxPlatformHttpServerConfiguration configuration;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<HttpConnection, Idle> awaitingHeaders = new ConcurrentHashMap<>();
    private Duration headerTimeout;
    private int maxConnections;
    private HttpServer server;

    public ApiServer(VertxPlatformHttpServerConfiguration configuration) {
        super(configuration);
        this.configuration = configuration;
    }

    @Override
    protected void startServer() throws Exception {
        Vertx vertx = getVertx();
        Limits limits = getCamelContext().getRegistry().lookupByNameAndType(LIMITS, Limits.class);
        headerTimeout = limits.headerTimeout();
        maxConnections = limits.maxConnections();
        UploadGate gate = getCamelContext().getRegistry().lookupByNameAndType(UploadGate.NAME, UploadGate.class);
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        // before every route's body handler: nothing of a body is read until the request may send it
        router.route().order(-2).handler(this::headersArrived);
        router.route().order(-1).handler(gate);
        for (int status : ERROR_STATUSES) {
            router.errorHandler(status, ctx -> routerError(ctx, status));
        }
        // HTTP/1.1 only: a cleartext HTTP/2 connection becomes one only once its first bytes arrive, out of reach
        // of the connection limit and the header deadline (TLS and HTTP/2 end at the proxy in front of logship)
        // a body arrives in chunks of at most maxChunkSize: Netty reads up to 64 KB at a time, and chunks of Vert.x's
        // default 8 KB cost an upload a buffer, a copy and a hand-over to its reader per 8 KB
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false).setMaxChunkSize(BODY_CHUNK_BYTES);
        server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .invalidRequestHandler(ApiServer::invalidRequest)
                .requestHandler(router);
        server.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("API server listening on {}:{} (at most {} connections, request headers within {} s)",
                configuration.getBindHost(), configuration.getBindPort(), maxConnections, headerTimeout.toMillis() / 1000.0);
    }

    @Override
    protected void stopServer() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Closing the API server: {}", e.toString());
            } finally {
                server = null;
            }
        }
    }

    /**
     * An upload in progress holds a worker thread while its body arrives (see {@link StreamedBody}): room for every
     * upload MAX_CONCURRENT_UPLOADS allows, besides Vert.x's usual pool for the other routes.
     */
    @Override
    protected Vertx createVertxInstance() {
        UploadGate gate = getCamelContext().getRegistry().lookupByNameAndType(UploadGate.NAME, UploadGate.class);
        int uploads = gate == null ? 0 : gate.maxConcurrentUploads();
        return Vertx.vertx(new VertxOptions().setWorkerPoolSize(VertxOptions.DEFAULT_WORKER_POOL_SIZE + uploads));
    }

    /** Camel's version closes Vert.x through an executor of its own start, which this server does not use. */
    @Override
    protected void stopVertx() {
        Vertx vertx = getVertx();
        if (vertx != null && lookupVertx() == null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Closing Vert.x: {}", e.toString());
            }
        }
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : configuration.getBindPort();
    }

    private void connected(HttpConnection connection) {
        if (openConnections.incrementAndGet() > maxConnections) {
            openConnections.decrementAndGet();
            connection.close();
            return;
        }
        connection.closeHandler(v -> {
            openConnections.decrementAndGet();
            disarm(connection);
            awaitingHeaders.remove(connection);
        });
        arm(connection);
    }

    /** Requests in progress on a connection; with none, the next request's headers are due within HTTP_HEADER_TIMEOUT. */
    private static final class Idle {
        int active;
        long timer = -1;
    }

    private void arm(HttpConnection connection) {
        Idle idle = awaitingHeaders.computeIfAbsent(connection, c -> new Idle());
        idle.timer = getVertx().setTimer(headerTimeout.toMillis(), id -> {
            if (idle.timer == id && idle.active == 0) {
                connection.close();
            }
        });
    }

    private void disarm(HttpConnection connection) {
        Idle idle = awaitingHeaders.get(connection);
        if (idle != null && idle.timer >= 0) {
            getVertx().cancelTimer(idle.timer);
            idle.timer = -1;
        }
    }

    private void headersArrived(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        Idle idle = awaitingHeaders.computeIfAbsent(connection, c -> new Idle());
        idle.active++;
        disarm(connection);
        ctx.addEndHandler(done -> {
            if (--idle.active == 0 && done.succeeded() && awaitingHeaders.containsKey(connection)) {
                arm(connection);
            }
        });
        ctx.next();
    }

    /** A status the router sets itself (no route, method not allowed, a body over the limit) or a failure of a handler. */
    private static void routerError(RoutingContext ctx, int status) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        String error;
        String detail;
        switch (status) {
            case 404 -> {
                error = "not_found";
                detail = "no such resource: " + ctx.request().method() + " " + ctx.request().path()
                        + " (the API is under /api/v1/logs/, see docs/LOG_UPLOAD_API.md)";
            }
            case 405 -> {
                error = "method_not_allowed";
                detail = ctx.request().method() + " is not allowed on " + ctx.request().path();
            }
            case 413 -> {
                error = "payload_too_large";
                detail = "the request body is larger than this server accepts";
            }
            case 500 -> {
                error = "internal_error";
                detail = "the request could not be processed; see the logship log";
                LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
            }
            default -> {
                error = "http_" + status;
                detail = "the request was refused with status " + status;
            }
        }
        UploadGate.refuse(ctx.request(), status, error, detail, null);
    }

    /** Requests Vert.x cannot parse never reach a route: a request line over 4096 bytes (414), headers over 8 KiB (431). */
    private static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String error;
        String detail;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            error = "uri_too_long";
            detail = "the request line is longer than " + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            error = "headers_too_large";
            detail = "the request headers are larger than " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes";
        } else {
            status = 400;
            error = "bad_request";
            detail = "the request is not valid HTTP" + (cause == null ? "" : ": " + cause.getMessage());
        }
        UploadGate.refuse(request, status, error, detail, null);
    }
}
